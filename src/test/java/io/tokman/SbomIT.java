package io.tokman;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CycloneDX SBOM in the packaged jar names exactly the libraries the jar ships, with
 * their versions. (Failsafe: it needs the jar.)
 */
class SbomIT {

	private static final String SBOM = "META-INF/sbom/application.cdx.json";

	@Test
	void theJarsSbomListsEveryLibraryInTheJarAndNothingElse() throws IOException {
		try (JarFile jar = new JarFile(ForkedTokman.packagedJar().toFile())) {
			JarEntry entry = jar.getJarEntry(SBOM);
			assertThat(entry).as(SBOM).isNotNull();
			JsonNode sbom;
			try (InputStream in = jar.getInputStream(entry)) {
				sbom = JsonMapper.shared().readTree(in);
			}
			assertThat(sbom.path("bomFormat").asString()).isEqualTo("CycloneDX");
			JsonNode tokman = sbom.path("metadata").path("component");
			assertThat(tokman.path("name").asString()).isEqualTo("tokman");
			assertThat(tokman.path("type").asString()).isEqualTo("application");
			Set<String> listed = new TreeSet<>();
			for (JsonNode component : sbom.path("components")) {
				assertThat(component.path("purl").asString()).as(component.toString()).startsWith("pkg:maven/");
				listed.add(component.path("name").asString() + "-" + component.path("version").asString() + ".jar");
			}
			Set<String> shipped = new TreeSet<>();
			for (JarEntry library : Collections.list(jar.entries())) {
				if (library.getName().startsWith("BOOT-INF/lib/") && library.getName().endsWith(".jar")) {
					shipped.add(library.getName().substring("BOOT-INF/lib/".length()));
				}
			}
			// Spring Boot's plugin adds its launcher's tools to the jar, and leaves out
			// the
			// starters, which hold no code, only dependencies.
			shipped.removeIf((library) -> library.startsWith("spring-boot-jarmode-tools-"));
			listed.removeIf((library) -> library.startsWith("spring-boot-starter-"));
			assertThat(shipped).hasSizeGreaterThan(100);
			assertThat(listed).isEqualTo(shipped);
		}
	}

}
