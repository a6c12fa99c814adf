package io.tokman;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tokman.simulator.GitHubSimulator;
import io.tokman.simulator.TestKeys;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The App's keys rotated while tokman runs and serves: its key folder is laid out as a
 * Kubernetes Secret volume (each file a link into {@code ..data}, swapped in one rename),
 * checked every 100 ms.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "tokman.github.key-check-interval=100ms", "tokman.github.circuit-pause=0",
				"tokman.access.github-budget.mints=0" })
@ContextConfiguration(initializers = KeyRotationTests.SecretVolume.class)
@Import(TokmanTest.TestClock.class)
class KeyRotationTests {

	private static final Path VOLUME = TestEnvironment.DIRECTORY.resolve("secret-volume-" + System.nanoTime());

	private static final GitHubSimulator GITHUB = TestEnvironment.GITHUB;

	private static final KeyPair OLD = TestEnvironment.KEYS;

	private static final KeyPair NEW = TestKeys.generate();

	private static final AtomicInteger VERSIONS = new AtomicInteger();

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry meters;

	/**
	 * The load: four workers asking for repositories never asked for, so that each
	 * request mints and signs a JWT. Steps of the rotation wait for the load to go on
	 * under the new state; the timeline records each step with the requests served by
	 * then.
	 */
	/** Each test begins with the old key alone, mounted and known to GitHub. */
	@BeforeEach
	void mountTheOldKeyAlone() {
		GITHUB.addKey(TestEnvironment.APP_ID, OLD.getPublic());
		mount(keys("private-key.pem", OLD));
		Awaitility.await()
			.atMost(Duration.ofSeconds(30))
			.until(() -> inUse(OLD) == 1 && this.meters.get("tokman.github.app.keys").gauge().value() == 1);
	}

	@Test
	void aRotationDoneUnderLoadFailsNoRequestAndNeedsNoRestart() {
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicInteger served = new AtomicInteger();
		Queue<String> failures = new ConcurrentLinkedQueue<>();
		List<CompletableFuture<Void>> workers = new ArrayList<>();
		for (int worker = 0; worker < 4; worker++) {
			workers.add(CompletableFuture.runAsync(() -> {
				while (running.get()) {
					String path = "/api/" + TestEnvironment.uniqueRepository("rotation");
					int status = TestClient.status(this.port, path, null);
					if (status == 200) {
						served.incrementAndGet();
					}
					else {
						failures.add(path + " " + status);
					}
				}
			}, TestClient.THREADS));
		}
		List<String> timeline = new ArrayList<>();
		long start = System.nanoTime();
		try {
			awaitMore(served, 20);
			mark(timeline, start, served, "load running, signing with the old key");
			GITHUB.addKey(TestEnvironment.APP_ID, NEW.getPublic());
			mark(timeline, start, served, "GitHub: new key added");
			mount(keys("private-key.pem", OLD, "private-key-2026-12.pem", NEW));
			int signedWithNew = GITHUB.jwtsSignedWith(NEW.getPublic());
			Awaitility.await()
				.atMost(Duration.ofSeconds(30))
				.until(() -> GITHUB.jwtsSignedWith(NEW.getPublic()) > signedWithNew + 10);
			assertThat(inUse(NEW)).isEqualTo(1);
			mark(timeline, start, served, "tokman: both keys mounted (symlink swap); signing with the new key");
			GITHUB.removeKey(TestEnvironment.APP_ID, OLD.getPublic());
			int signedWithOld = GITHUB.jwtsSignedWith(OLD.getPublic());
			mark(timeline, start, served, "GitHub: old key deleted");
			awaitMore(served, 20);
			mount(keys("private-key-2026-12.pem", NEW));
			Awaitility.await()
				.atMost(Duration.ofSeconds(30))
				.until(() -> this.meters.get("tokman.github.app.keys").gauge().value() == 1);
			mark(timeline, start, served, "tokman: old key unmounted (symlink swap)");
			awaitMore(served, 20);
			mark(timeline, start, served, "load stopped");
			assertThat(GITHUB.jwtsSignedWith(OLD.getPublic())).as("JWTs signed with the deleted key")
				.isEqualTo(signedWithOld);
		}
		finally {
			running.set(false);
			workers.forEach(CompletableFuture::join);
			GITHUB.addKey(TestEnvironment.APP_ID, OLD.getPublic());
			System.out.println("Key rotation under load:\n" + String.join("\n", timeline));
		}
		assertThat(failures).as("requests that failed during the rotation").isEmpty();
		assertThat(this.meters.find("tokman.github.jwt.rejections").counters()).as("JWTs GitHub rejected").isEmpty();
	}

	@Test
	void aKeyFileThatNoLongerParsesNeverReplacesTheWorkingKey() throws IOException {
		GITHUB.addKey(TestEnvironment.APP_ID, NEW.getPublic());
		mount(keys("private-key-2026-12.pem", NEW));
		Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> inUse(NEW) == 1);
		Path version = mount(keys("private-key-2026-12.pem", NEW));
		Files.writeString(version.resolve("private-key-2026-12.pem"), "-----BEGIN RSA PRIVATE KEY-----\nhalf\n");
		Awaitility.await()
			.atMost(Duration.ofSeconds(30))
			.until(() -> this.meters.get("tokman.github.app.key.files.invalid").gauge().value() == 1);
		assertThat(TestClient.status(this.port, "/api/" + TestEnvironment.uniqueRepository("rotation"), null))
			.isEqualTo(200);
		assertThat(inUse(NEW)).isEqualTo(1);
		assertThat(this.meters.get("tokman.github.app.keys").gauge().value()).isEqualTo(1);
		assertThat(TestClient.status(this.port, "/actuator/health/readiness", null)).as("readiness").isEqualTo(200);
	}

	/** Key files by name, written in this order. */
	private static Map<String, KeyPair> keys(Object... namesAndKeys) {
		Map<String, KeyPair> keys = new LinkedHashMap<>();
		for (int i = 0; i < namesAndKeys.length; i += 2) {
			keys.put((String) namesAndKeys[i], (KeyPair) namesAndKeys[i + 1]);
		}
		return keys;
	}

	/** 1 while tokman signs with the key; 0 otherwise, also before its row exists. */
	private double inUse(KeyPair key) {
		Gauge gauge = this.meters.find("tokman.github.app.key.in.use").tag("key", TestKeys.fingerprint(key)).gauge();
		return (gauge != null) ? gauge.value() : 0;
	}

	private static void mark(List<String> timeline, long start, AtomicInteger served, String what) {
		timeline
			.add(String.format("%7d ms %6d served  %s", (System.nanoTime() - start) / 1_000_000, served.get(), what));
	}

	private static void awaitMore(AtomicInteger served, int more) {
		int target = served.get() + more;
		IntSupplier count = served::get;
		Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> count.getAsInt() >= target);
	}

	/**
	 * Writes the keys as a Kubernetes Secret volume does: into a new directory, then
	 * {@code ..data} swapped to it in one rename, each key file a link through it.
	 */
	static Path mount(Map<String, KeyPair> keys) {
		try {
			Files.createDirectories(VOLUME);
			Path version = Files.createDirectory(VOLUME.resolve("..v" + VERSIONS.incrementAndGet()));
			keys.forEach((name, key) -> TestKeys.writePkcs1(key, version.resolve(name)));
			Path link = Files.createSymbolicLink(VOLUME.resolve("..data_tmp"), version.getFileName());
			Files.move(link, VOLUME.resolve("..data"), StandardCopyOption.ATOMIC_MOVE,
					StandardCopyOption.REPLACE_EXISTING);
			try (var files = Files.list(VOLUME)) {
				for (Path file : files.filter((file) -> !file.getFileName().toString().startsWith("..")).toList()) {
					if (!keys.containsKey(file.getFileName().toString())) {
						Files.delete(file);
					}
				}
			}
			for (String name : keys.keySet()) {
				if (!Files.exists(VOLUME.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
					Files.createSymbolicLink(VOLUME.resolve(name), Path.of("..data", name));
				}
			}
			return version;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The shared test settings, with the App's key in a Secret volume. */
	static class SecretVolume implements ApplicationContextInitializer<ConfigurableApplicationContext> {

		@Override
		public void initialize(ConfigurableApplicationContext context) {
			mount(keys("private-key.pem", OLD));
			TestPropertyValues.of(TestEnvironment.properties(TestEnvironment.newDatabase()))
				.and("tokman.github.private-key=" + VOLUME)
				.applyTo(context);
		}

	}

}
