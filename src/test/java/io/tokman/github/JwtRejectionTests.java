package io.tokman.github;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.tokman.simulator.GitHubSimulator;
import io.tokman.simulator.MutableClock;
import io.tokman.simulator.TestKeys;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A key GitHub no longer (or not yet) knows: each other key of the App is tried once, the
 * one GitHub takes signs from then on, and the request does not fail.
 */
@ExtendWith(OutputCaptureExtension.class)
class JwtRejectionTests {

	private static final String APP = "4711";

	private static final KeyPair OLD = TestKeys.generate();

	private static final KeyPair NEW = TestKeys.generate();

	private static final TokenScope SCOPE = TokenScope.repository(new RepositoryName("packit", "ogr"),
			Permissions.INSTALLATION, false);

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));

	private final GitHubSimulator gitHub = new GitHubSimulator(APP, OLD.getPublic(), this.clock);

	@StartStop
	private final MockWebServer server = new MockWebServer();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	@TempDir
	Path directory;

	@Test
	void aKeyGitHubDoesNotKnowYetFallsBackToOneItKnowsWhichSignsFromThenOn(CapturedOutput output) {
		GitHubClient client = client(keys());
		assertThat(client.mintToken(SCOPE, null).token()).startsWith("ghs_");
		assertThat(this.gitHub.jwtsSignedWith(NEW.getPublic())).isZero();
		int rejections = rejections(NEW);
		assertThat(rejections).as("the newest key was tried first, once").isEqualTo(1);
		assertThat(output).contains("GitHub rejected the App JWT signed with key " + AppKeysTests.fingerprint(NEW))
			.contains("it took key " + AppKeysTests.fingerprint(OLD));

		client.mintToken(SCOPE, null);
		assertThat(rejections(NEW)).as("the key GitHub took keeps signing").isEqualTo(rejections);
	}

	@Test
	void aRotationDoneOnGitHubSideFirstIsFollowedWithoutAFailure() {
		AppKeys keys = keys();
		GitHubClient client = client(keys);
		this.gitHub.addKey(APP, NEW.getPublic());
		client.mintToken(SCOPE, null);
		assertThat(this.gitHub.jwtsSignedWith(NEW.getPublic())).isPositive();
		this.gitHub.removeKey(APP, OLD.getPublic());
		int before = this.gitHub.jwtsSignedWith(OLD.getPublic());
		client.mintToken(SCOPE, null);
		assertThat(this.gitHub.jwtsSignedWith(OLD.getPublic())).isEqualTo(before);
	}

	@Test
	void whenGitHubKnowsNoKeyTheErrorNamesEveryKeyTried() {
		this.gitHub.removeKey(APP, OLD.getPublic());
		AppKeys keys = keys();
		assertThatExceptionOfType(UnexpectedAnswerException.class).isThrownBy(() -> client(keys).mintToken(SCOPE, null))
			.satisfies((ex) -> assertThat(ex.status()).isEqualTo(401))
			.withMessageContaining("A JSON web token could not be decoded")
			.withMessageContaining("each of the App's 2 keys was tried")
			.withMessageContaining(AppKeysTests.fingerprint(OLD))
			.withMessageContaining(AppKeysTests.fingerprint(NEW));
		assertThat(rejections(OLD)).isEqualTo(1);
		assertThat(rejections(NEW)).isEqualTo(1);
	}

	@Test
	void aKeyAddedJustBeforeARejectionIsTriedWithoutWaitingForTheNextCheck() throws Exception {
		write("private-key.pem", OLD, 1);
		AppKeys keys = AppKeys.read(this.directory, null, APP, this.meters);
		GitHubClient client = client(keys);
		this.gitHub.addKey(APP, NEW.getPublic());
		this.gitHub.removeKey(APP, OLD.getPublic());
		write("private-key-2.pem", NEW, 2);
		assertThat(client.mintToken(SCOPE, null).token()).startsWith("ghs_");
		assertThat(this.gitHub.jwtsSignedWith(NEW.getPublic())).isPositive();
	}

	private AppKeys keys() {
		write("private-key.pem", OLD, 1);
		write("private-key-2.pem", NEW, 2);
		return AppKeys.read(this.directory, null, APP, this.meters);
	}

	private int rejections(KeyPair key) {
		return (int) this.meters.find("tokman.github.jwt.rejections")
			.tag("key", AppKeysTests.fingerprint(key))
			.counters()
			.stream()
			.mapToDouble((counter) -> counter.count())
			.sum();
	}

	private GitHubClient client(AppKeys keys) {
		this.server.setDispatcher(this.gitHub);
		return new GitHubClient(new OkHttpClient(), this.server.url("/"), new AppJwt(APP, keys, this.clock),
				JsonMapper.builder().build(), "tokman/test", this.clock,
				new Retries(0, Duration.ofMillis(5), Duration.ofSeconds(10)), Duration.ofSeconds(60),
				ObservationRegistry.NOOP, new GitHubCircuit(Duration.ZERO, this.clock, this.meters),
				new GitHubCalls(100, this.meters));
	}

	private void write(String name, KeyPair key, int minute) {
		try {
			Path file = TestKeys.writePkcs1(key, this.directory.resolve(name));
			Files.setLastModifiedTime(file,
					FileTime.from(Instant.parse("2026-12-06T10:00:00Z").plusSeconds(60L * minute)));
		}
		catch (java.io.IOException ex) {
			throw new AssertionError(ex);
		}
	}

}
