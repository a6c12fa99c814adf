package io.tokman.token;

import java.time.Duration;
import java.time.Instant;

import io.tokman.github.Permissions;
import io.tokman.github.RepositoryName;
import io.tokman.github.TokenScope;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;

/** {@code TOKMAN_TOKEN_SCOPE=installation}: the original's installation-wide tokens. */
@WebMvcTest(controllers = TokenController.class, properties = "tokman.token.scope=installation")
@Import(ControllerSlice.class)
class InstallationScopeTests {

	@Autowired
	private MockMvcTester mvc;

	@MockitoBean
	private TokenService tokens;

	@Test
	void repositoryTokenIsAskedForTheWholeInstallation() {
		TokenScope installation = TokenScope.repository(new RepositoryName("packit", "ogr"), Permissions.INSTALLATION,
				true);
		given(this.tokens.serve(eq(installation), eq(Duration.ZERO), any()))
			.willReturn(new Handout("ghs_t", Instant.parse("2026-11-25T13:00:00Z"), Handout.Outcome.SERVED,
					Handout.fingerprint("ghs_t"), null, null));
		assertThat(this.mvc.get().uri("/api/packit/ogr")).hasStatusOk()
			.bodyJson()
			.extractingPath("$.access_token")
			.isEqualTo("ghs_t");
	}

}
