package io.tokman.github;

import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.Jwts;
import io.tokman.TestEnvironment;
import io.tokman.simulator.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AppJwtTests {

	private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

	private final MutableClock clock = new MutableClock(NOW);

	private final AppJwt jwt = new AppJwt("Iv23liExample",
			AppKeys.of((RSAPrivateKey) TestEnvironment.KEYS.getPrivate()), this.clock);

	@Test
	void jwtCarriesTheClaimsAndHeaderGitHubChecks() {
		Jws<Claims> parsed = parse(this.jwt.get());
		assertThat(parsed.getHeader().getAlgorithm()).isEqualTo("RS256");
		assertThat(parsed.getPayload().getIssuer()).isEqualTo("Iv23liExample");
		// Backdated a minute for clock drift; GitHub allows at most ten minutes from iat
		// to exp.
		assertThat(parsed.getPayload().getIssuedAt().toInstant()).isEqualTo(NOW.minusSeconds(60));
		assertThat(parsed.getPayload().getExpiration().toInstant()).isEqualTo(NOW.plusSeconds(540));
	}

	@Test
	void jwtIsReusedUntilAMinuteBeforeItExpires() {
		String first = this.jwt.get();
		this.clock.advance(Duration.ofSeconds(479));
		assertThat(this.jwt.get()).isSameAs(first);
		this.clock.advance(Duration.ofSeconds(1));
		String second = this.jwt.get();
		assertThat(second).isNotEqualTo(first);
		assertThat(parse(second).getPayload().getIssuedAt().toInstant()).isEqualTo(NOW.plusSeconds(420));
	}

	@Test
	void jwtIsSignedAgainWhenTheClockGoesBack() {
		String first = this.jwt.get();
		this.clock.set(NOW.minus(Duration.ofMinutes(5)));
		String second = this.jwt.get();
		assertThat(second).isNotEqualTo(first);
		assertThat(parse(second).getPayload().getIssuedAt().toInstant()).isEqualTo(NOW.minusSeconds(360));
	}

	@Test
	void toStringNeverShowsTheJwt() {
		String signed = this.jwt.get();
		assertThat(this.jwt.toString()).doesNotContain(signed).contains("Iv23liExample");
	}

	private Jws<Claims> parse(String token) {
		return Jwts.parser()
			.verifyWith(TestEnvironment.KEYS.getPublic())
			.clock(() -> java.util.Date.from(this.clock.instant()))
			.build()
			.parseSignedClaims(token);
	}

}
