package io.tokman;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layout holds: packages import downward only (features never know the web layer,
 * nothing knows the application class), and no two packages depend on each other in a
 * cycle.
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
			.resideInAnyPackage("io.tokman.token..", "io.tokman.github..", "io.tokman.access..", "io.tokman.config..")
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
	void onlyTheApplicationLivesInTheRootPackage() {
		noClasses().that()
			.resideOutsideOfPackage("io.tokman")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.tokman")
			.check(MAIN);
	}

}
