package io.tokman;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import jakarta.servlet.ServletException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ApiKeyFilterTests {

	@TempDir
	Path directory;

	private final ApiKeyFilter filter = new ApiKeyFilter(new AccessProperties(List.of("key-one", " key-two "), ""));

	@Test
	void requestWithoutAKeyGets401AndNoToken() throws Exception {
		MockHttpServletResponse response = call(this.filter, "/api/packit/ogr", null);
		assertThat(response.getStatus()).isEqualTo(401);
		assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("Bearer");
		assertThat(response.getContentType()).isEqualTo("application/json");
		assertThat(response.getContentAsString()).startsWith("{\"error\":");
	}

	@Test
	void requestWithAnUnknownKeyGets401() throws Exception {
		assertThat(call(this.filter, "/api/packit/ogr", "Bearer key-three").getStatus()).isEqualTo(401);
		assertThat(call(this.filter, "/api/packit/ogr", "key-one").getStatus()).isEqualTo(401);
	}

	@Test
	void requestWithAKnownKeyPasses() throws Exception {
		assertThat(call(this.filter, "/api/packit/ogr", "Bearer key-one").getStatus()).isEqualTo(200);
		assertThat(call(this.filter, "/api/packit/ogr/invalidate", "Bearer key-two").getStatus()).isEqualTo(200);
	}

	@Test
	void healthNeedsNoKey() throws Exception {
		assertThat(call(this.filter, "/api/health", null).getStatus()).isEqualTo(200);
	}

	@Test
	void withoutKeysEveryRequestPasses() throws Exception {
		ApiKeyFilter off = new ApiKeyFilter(new AccessProperties(List.of(), ""));
		assertThat(off.enabled()).isFalse();
		assertThat(call(off, "/api/packit/ogr", null).getStatus()).isEqualTo(200);
	}

	@Test
	void keysAreReadFromAFileSkippingCommentsAndBlankLines() throws Exception {
		Path keys = Files.writeString(this.directory.resolve("keys"), "# workers\nfile-key\n\n");
		ApiKeyFilter fromFile = new ApiKeyFilter(new AccessProperties(List.of(), keys.toString()));
		assertThat(call(fromFile, "/api/packit/ogr", "Bearer file-key").getStatus()).isEqualTo(200);
		assertThat(call(fromFile, "/api/packit/ogr", "Bearer # workers").getStatus()).isEqualTo(401);
	}

	@Test
	void missingKeyFileStopsStartupNamingTheSetting() {
		Path missing = this.directory.resolve("missing");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> new ApiKeyFilter(new AccessProperties(List.of(), missing.toString())))
			.withMessageStartingWith("TOKMAN_API_KEYS_FILE: cannot read " + missing);
	}

	@Test
	void toStringNeverShowsTheKeys() {
		assertThat(new AccessProperties(List.of("key-one"), "").toString()).doesNotContain("key-one");
	}

	private static MockHttpServletResponse call(ApiKeyFilter filter, String path, String authorization)
			throws ServletException, IOException {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
		if (authorization != null) {
			request.addHeader("Authorization", authorization);
		}
		MockHttpServletResponse response = new MockHttpServletResponse();
		filter.doFilter(request, response, new MockFilterChain());
		return response;
	}

}
