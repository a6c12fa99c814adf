package io.tokman.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.tokman.config.InvalidSettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.security.authentication.BadCredentialsException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ApiKeysTests {

	@TempDir
	Path directory;

	@Test
	void keysFromTheEnvironmentAreNamedWithoutTheKey() {
		ApiKeys keys = new ApiKeys(properties(List.of("key-one", " key-two "), ""));
		assertThat(client(keys, "key-one")).isEqualTo("api-key-1");
		assertThat(client(keys, "key-two")).isEqualTo("api-key-2");
	}

	/**
	 * Keys are digested with copies of one SHA-256: requests at once each get their own
	 * key's digest, the one any SHA-256 gives.
	 */
	@Test
	void keysDigestedAtOnceEachGetTheirOwnDigest() throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(8);
		try {
			List<Future<Boolean>> results = new ArrayList<>();
			for (int i = 0; i < 2_000; i++) {
				String key = "key-" + i + "-" + "x".repeat(i % 97);
				results.add(threads.submit(() -> Arrays.equals(ApiKeys.digest(key),
						MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)))));
			}
			for (Future<Boolean> result : results) {
				assertThat(result.get()).isTrue();
			}
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void unknownKeyIsRefused() {
		ApiKeys keys = new ApiKeys(properties(List.of("key-one"), ""));
		assertThatExceptionOfType(BadCredentialsException.class).isThrownBy(() -> client(keys, "key-three"));
		assertThatExceptionOfType(BadCredentialsException.class).isThrownBy(() -> client(keys, ""));
	}

	@Test
	void fileNamesItsClientsAndMayHoldOnlyDigests() throws IOException {
		String digest = HexFormat.of().formatHex(ApiKeys.digest("renovate-secret"));
		Path file = Files.writeString(this.directory.resolve("keys"),
				"# workers\npackit-worker:worker-secret\n\nrenovate:sha256:" + digest + "\nbare-key\n");
		ApiKeys keys = new ApiKeys(properties(List.of(), file.toString()));
		assertThat(keys.size()).isEqualTo(3);
		assertThat(client(keys, "worker-secret")).isEqualTo("packit-worker");
		assertThat(client(keys, "renovate-secret")).isEqualTo("renovate");
		assertThat(client(keys, "bare-key")).isEqualTo("file-key-3");
		assertThatExceptionOfType(BadCredentialsException.class).isThrownBy(() -> client(keys, digest));
		assertThatExceptionOfType(BadCredentialsException.class).isThrownBy(() -> client(keys, "# workers"));
	}

	@Test
	void withoutKeysAuthenticationIsOff() {
		assertThat(new ApiKeys(properties(List.of(), "")).enabled()).isFalse();
		assertThat(new ApiKeys(properties(List.of(" "), "")).enabled()).isFalse();
	}

	@Test
	void keysFileWithNoKeyStopsStartupNamingTheFile() throws IOException {
		Path comments = Files.writeString(this.directory.resolve("comments"), "# nobody yet\n\n");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> new ApiKeys(properties(List.of(), comments.toString())))
			.withMessage("TOKMAN_API_KEYS_FILE: " + comments + " holds no API key");
	}

	@Test
	void missingKeyFileStopsStartupNamingTheSetting() {
		Path missing = this.directory.resolve("missing");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> new ApiKeys(properties(List.of(), missing.toString())))
			.withMessageStartingWith("TOKMAN_API_KEYS_FILE: cannot read " + missing);
	}

	@Test
	void nothingPrintsAKey() {
		ApiKeys keys = new ApiKeys(properties(List.of("key-one"), ""));
		assertThat(keys.toString()).doesNotContain("key-one");
		assertThat(properties(List.of("key-one"), "").toString()).doesNotContain("key-one");
		assertThat(new ApiKeyAuthentication("key-one").toString()).doesNotContain("key-one");
	}

	@Test
	void namedClientsInTheFileMayBeLimitedToRepositories() throws IOException {
		Path file = Files.writeString(this.directory.resolve("keys"), "rpms-worker:rpms-secret rpms/* fedora/ci\n");
		Client client = (Client) new ApiKeys(properties(List.of(), file.toString()))
			.authenticate(new ApiKeyAuthentication("rpms-secret"))
			.getPrincipal();
		assertThat(client.name()).isEqualTo("rpms-worker");
		assertThat(client.grant().globs()).containsExactly("rpms/*", "fedora/ci");
	}

	@Test
	void lineThatIsNotAClientStopsStartupWithItsNumberAndNeverBecomesAKey() throws IOException {
		String digest = HexFormat.of().formatHex(ApiKeys.digest("rpms-secret"));
		for (String line : List.of("rpms+worker:sha256:" + digest + " rpms/*", "packit-worker: worker-secret",
				"renovate:sha256:" + digest.substring(1), "renovate:sha256:" + digest + "0", "a key with spaces",
				":no-name", "name:")) {
			Path file = Files.writeString(this.directory.resolve("keys"),
					"# clients\nfine:fine-secret\n" + line + "\n");
			assertThatExceptionOfType(InvalidSettingException.class).as(line)
				.isThrownBy(() -> new ApiKeys(properties(List.of(), file.toString())))
				.withMessage("TOKMAN_API_KEYS_FILE: line 3 of " + file + " is not a client")
				.satisfies((ex) -> assertThat(ex.getMessage() + ex.action()).doesNotContain(digest.substring(1, 20))
					.doesNotContain("worker-secret"));
		}
	}

	@Test
	void bareKeyIsALineWithoutColonOrWhiteSpace() throws IOException {
		Path file = Files.writeString(this.directory.resolve("keys"), "a-bare-key.with_punctuation+/=\n");
		assertThat(client(new ApiKeys(properties(List.of(), file.toString())), "a-bare-key.with_punctuation+/="))
			.isEqualTo("file-key-1");
	}

	@Test
	void clientNamedTwiceOrKeyUsedTwiceStopsStartup() throws IOException {
		Path names = Files.writeString(this.directory.resolve("names"), "worker:one-secret\nworker:two-secret\n");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> new ApiKeys(properties(List.of(), names.toString())))
			.withMessage("TOKMAN_API_KEYS_FILE: line 2 of " + names + " names the client worker again");
		String digest = HexFormat.of().formatHex(ApiKeys.digest("shared-secret"));
		Path keys = Files.writeString(this.directory.resolve("keys"),
				"reader:shared-secret packit/*\nwriter:sha256:" + digest + "\n");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> new ApiKeys(properties(List.of(), keys.toString())))
			.withMessage("TOKMAN_API_KEYS_FILE: line 2 of " + keys + " repeats the key of client reader");
	}

	@Test
	void clientsAreDescribedByNameAndGrantNeverByKey() throws IOException {
		Path file = Files.writeString(this.directory.resolve("keys"),
				"rpms-worker:rpms-secret rpms/* permissions=contents:read\nadmin:admin-secret\n");
		assertThat(new ApiKeys(properties(List.of(), file.toString())).describe())
			.containsExactly("rpms-worker: Grant[rpms/*] permissions=contents:read", "admin: Grant[*/*]");
	}

	@Test
	void onlyAnEntryMarkedRoleAdminIsAnAdminAndItAsksForNoTokenUnlessGlobsFollow() throws IOException {
		Path file = Files.writeString(this.directory.resolve("keys"),
				"ops:ops-secret role=admin\nrelease:release-secret role=admin packit/*\n"
						+ "worker:worker-secret role=worker packit/*\nplain:plain-secret\n");
		ApiKeys keys = new ApiKeys(properties(List.of("env-secret"), file.toString()));
		Client ops = principal(keys, "ops-secret");
		assertThat(ops.admin()).isTrue();
		assertThat(ops.grant().globs()).isEmpty();
		Client release = principal(keys, "release-secret");
		assertThat(release.admin()).isTrue();
		assertThat(release.grant().globs()).containsExactly("packit/*");
		assertThat(principal(keys, "worker-secret").admin()).isFalse();
		assertThat(principal(keys, "worker-secret").grant().globs()).containsExactly("packit/*");
		assertThat(principal(keys, "plain-secret").admin()).isFalse();
		assertThat(principal(keys, "env-secret").admin()).as("a key from TOKMAN_API_KEYS").isFalse();
		assertThat(keys.describe()).contains("ops (admin): Grant[]");
	}

	@Test
	void aMistypedRoleStopsStartupRatherThanMakeAWorker() throws IOException {
		for (String role : List.of("role=Admin", "role=admins", "role=", "role=admin,worker")) {
			Path file = Files.writeString(this.directory.resolve("keys"), "ops:ops-secret " + role + "\n");
			assertThatExceptionOfType(InvalidSettingException.class).as(role)
				.isThrownBy(() -> new ApiKeys(properties(List.of(), file.toString())))
				.withMessage(
						"TOKMAN_API_KEYS_FILE: line 1 of " + file + " has a role other than role=admin or role=worker");
		}
	}

	private static Client principal(ApiKeys keys, String key) {
		return (Client) keys.authenticate(new ApiKeyAuthentication(key)).getPrincipal();
	}

	private static String client(ApiKeys keys, String key) {
		return ((Client) keys.authenticate(new ApiKeyAuthentication(key)).getPrincipal()).name();
	}

	private static AccessProperties properties(List<String> keys, String file) {
		return new AccessProperties(keys, file, List.of(), List.of(),
				new AccessProperties.Budget(0, Duration.ofHours(1), 0));
	}

}
