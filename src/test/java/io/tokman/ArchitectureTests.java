package io.tokman;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.properties.HasName;
import com.tngtech.archunit.core.domain.properties.HasOwner;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.tokman.config.SqliteConnectionFailures;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.PropertyResolver;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layout holds: packages import downward only (features never know the web layer,
 * nothing knows the application class), no two packages depend on each other in a cycle,
 * settings are read through their records, classes are public only where another package
 * uses them, and none outgrows a reading.
 */
class ArchitectureTests {

	private static final JavaClasses MAIN = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.tokman");

	@Test
	void packagesFormNoCycles() {
		slices().matching("io.tokman.(**)").should().beFreeOfCycles().check(MAIN);
	}

	@Test
	void featuresDoNotDependOnTheWebLayer() {
		noClasses().that()
			.resideInAnyPackage("io.tokman.token..", "io.tokman.github..", "io.tokman.access..", "io.tokman.config..",
					"io.tokman.webhook..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.tokman.web..")
			.check(MAIN);
	}

	@Test
	void gitHubClientKnowsNothingOfTokensOrAccess() {
		noClasses().that()
			.resideInAnyPackage("io.tokman.github..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.tokman.token..", "io.tokman.access..")
			.check(MAIN);
	}

	@Test
	void observabilityKnowsOnlyTheSettings() {
		noClasses().that()
			.resideInAnyPackage("io.tokman.observability..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.tokman.token..", "io.tokman.github..", "io.tokman.access..", "io.tokman.web..")
			.check(MAIN);
	}

	@Test
	void settingsDependOnNoOtherPackageOfTokman() {
		noClasses().that()
			.resideInAnyPackage("io.tokman.config..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.tokman.token..", "io.tokman.github..", "io.tokman.access..", "io.tokman.web..",
					"io.tokman.observability..")
			.check(MAIN);
	}

	@Test
	void settingsAreReadByNameOnlyInTheSettingsPackage() {
		noClasses().that()
			.resideOutsideOfPackage("io.tokman.config..")
			.should()
			.callMethodWhere(
					JavaCall.Predicates.target(HasOwner.Predicates.With.owner(assignableTo(PropertyResolver.class)))
						.and(JavaCall.Predicates.target(HasName.Predicates.nameStartingWith("getProperty"))))
			.orShould()
			.dependOnClassesThat()
			.belongToAnyOf(Value.class)
			.check(MAIN);
	}

	@Test
	void classesArePublicOnlyWhereAnotherPackageUsesThem() {
		classes().that()
			.arePublic()
			.and()
			.areTopLevelClasses()
			.and()
			.doNotHaveSimpleName("TokmanApplication")
			.and()
			// Hikari makes it from its name in the settings.
			.doNotBelongToAnyOf(SqliteConnectionFailures.class)
			.and()
			// What Spring's AOT processing generates, in make check's build.
			.haveNameNotMatching(".*(__|\\$\\$).*")
			.should(new ArchCondition<JavaClass>("be used by another package") {
				@Override
				public void check(JavaClass type, ConditionEvents events) {
					boolean used = type.getDirectDependenciesToSelf()
						.stream()
						.anyMatch((dependency) -> !dependency.getOriginClass()
							.getPackageName()
							.equals(type.getPackageName()));
					if (!used) {
						events.add(SimpleConditionEvent.violated(type,
								type.getName() + " is public, and only its own package uses it"));
					}
				}
			})
			.check(MAIN);
	}

	@Test
	void noMainClassIsLongerThan250Lines() throws IOException {
		try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
			Map<Path, Long> lines = new TreeMap<>();
			for (Path source : sources.filter((path) -> path.toString().endsWith(".java")).toList()) {
				lines.put(source, (long) Files.readAllLines(source).size());
			}
			assertThat(lines).isNotEmpty();
			assertThat(lines)
				.allSatisfy((source, count) -> assertThat(count).as(source.toString()).isLessThanOrEqualTo(250));
		}
	}

	@Test
	void onlyTheApplicationLivesInTheRootPackage() {
		noClasses().that()
			.resideOutsideOfPackage("io.tokman")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.tokman")
			.check(MAIN);
	}

}
