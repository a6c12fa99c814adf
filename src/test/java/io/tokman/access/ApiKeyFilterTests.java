package io.tokman.access;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.tokman.config.InvalidSettingException;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.servlet.ModelAndView;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ApiKeyFilterTests {

	@TempDir
	Path directory;

	private final ApiKeyFilter filter = new ApiKeyFilter(
			new AccessProperties(List.of("key-one", " key-two "), "", List.of()), ApiKeyFilterTests::refuse);

	@Test
	void requestWithoutAKeyIsRefusedByTheErrorHandlingAndGoesNoFurther() throws Exception {
		MockHttpServletResponse response = call(this.filter, "/api/packit/ogr", null);
		assertThat(response.getStatus()).isEqualTo(401);
		assertThat(response.getContentAsString()).isEqualTo(ApiKeyRequiredException.class.getSimpleName());
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
		ApiKeyFilter off = new ApiKeyFilter(new AccessProperties(List.of(), "", List.of()), ApiKeyFilterTests::refuse);
		assertThat(off.enabled()).isFalse();
		assertThat(call(off, "/api/packit/ogr", null).getStatus()).isEqualTo(200);
	}

	@Test
	void keysAreReadFromAFileSkippingCommentsAndBlankLines() throws Exception {
		Path keys = Files.writeString(this.directory.resolve("keys"), "# workers\nfile-key\n\n");
		ApiKeyFilter fromFile = new ApiKeyFilter(new AccessProperties(List.of(), keys.toString(), List.of()),
				ApiKeyFilterTests::refuse);
		assertThat(call(fromFile, "/api/packit/ogr", "Bearer file-key").getStatus()).isEqualTo(200);
		assertThat(call(fromFile, "/api/packit/ogr", "Bearer # workers").getStatus()).isEqualTo(401);
	}

	@Test
	void missingKeyFileStopsStartupNamingTheSetting() {
		Path missing = this.directory.resolve("missing");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> new ApiKeyFilter(new AccessProperties(List.of(), missing.toString(), List.of()),
					ApiKeyFilterTests::refuse))
			.withMessageStartingWith("TOKMAN_API_KEYS_FILE: cannot read " + missing);
	}

	@Test
	void toStringNeverShowsTheKeys() {
		assertThat(new AccessProperties(List.of("key-one"), "", List.of()).toString()).doesNotContain("key-one");
	}

	/**
	 * Stands in for the application's error handling, which the full-stack tests check:
	 * names the refusal it was handed, and stops the chain.
	 */
	private static ModelAndView refuse(HttpServletRequest request, HttpServletResponse response, Object handler,
			Exception ex) {
		response.setStatus(401);
		try {
			response.getWriter().write(ex.getClass().getSimpleName());
		}
		catch (IOException io) {
			throw new UncheckedIOException(io);
		}
		return new ModelAndView();
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
