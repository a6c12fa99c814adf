package io.tokman;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.micrometer.core.instrument.MeterRegistry;
import io.tokman.simulator.GitHubSimulator;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A token's whole life, through the running service over a real socket: an admin revokes
 * it (GitHub stops taking it, the next requests mint one new token, once for a herd), a
 * worker cannot; GitHub's installation events change what tokman serves, and a delivery
 * that is not signed or is replayed changes nothing.
 */
@TokmanTest
@ExtendWith(OutputCaptureExtension.class)
class TokenLifecycleTests {

	static final String WORKER_KEY = "lifecycle-worker-key-0123456789";

	static final String ADMIN_KEY = "lifecycle-admin-key-0123456789";

	private static final String SECRET = "webhook-secret-0123456789";

	private static final GitHubSimulator GITHUB = TestEnvironment.GITHUB;

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry registry;

	@Autowired
	private JdbcTemplate jdbc;

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) throws IOException {
		TestEnvironment.CREDENTIALS.addAll(List.of(WORKER_KEY, ADMIN_KEY, SECRET));
		Path keys = Files.writeString(TestEnvironment.DIRECTORY.resolve("lifecycle-keys"),
				"worker:" + WORKER_KEY + "\nops:" + ADMIN_KEY + " role=admin\n");
		// Two secrets, as during a rotation of the webhook secret: either verifies.
		Path secret = Files.writeString(TestEnvironment.DIRECTORY.resolve("lifecycle-webhook-secret"),
				"an-older-secret-0123456789\n" + SECRET + "\n");
		registry.add("tokman.access.api-keys-file", keys::toString);
		registry.add("tokman.github.webhook-secret-file", secret::toString);
	}

	@Test
	void aRevokedTokenIsRejectedByGitHubAndAHerdAfterwardsMintsOneNewTokenOnce(CapturedOutput output) throws Exception {
		String repository = TestEnvironment.uniqueRepository("packit");
		String leaked = token(repository);
		assertThat(GITHUB.accepts(leaked)).isTrue();
		int minted = GITHUB.tokenRequests(repository);

		HttpResponse<String> revoked = revoke(ADMIN_KEY, "{\"repository\": \"" + repository + "\"}");

		assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
		assertThat(revoked.body()).contains("\"token_sha256\":\"" + sha256(leaked).substring(0, 16) + "\"")
			.contains("\"github\":\"revoked\"")
			.doesNotContain(leaked);
		assertThat(GITHUB.accepts(leaked)).as("GitHub takes the revoked token").isFalse();
		assertThat(output).containsPattern("client=ops remote=\\S+ repository=" + repository.toLowerCase()
				+ " outcome=revoked .*token_sha256=" + sha256(leaked).substring(0, 16));
		Set<String> tokens = TestClient.whileHeld(repository, this::waiting, 49, () -> {
			List<CompletableFuture<String>> herd = IntStream.range(0, 50)
				.mapToObj((i) -> CompletableFuture.supplyAsync(() -> tokenUnchecked(repository), TestClient.THREADS))
				.toList();
			return herd.stream().map(CompletableFuture::join).collect(Collectors.toSet());
		});
		assertThat(tokens).hasSize(1).doesNotContain(leaked);
		assertThat(GITHUB.tokenRequests(repository)).as("mints after the revocation").isEqualTo(minted + 1);
	}

	@Test
	void aWorkerCannotRevokeAndGitHubIsNotAsked() throws Exception {
		String repository = TestEnvironment.uniqueRepository("packit");
		String token = token(repository);
		int revocations = GITHUB.revocations();
		String body = "{\"repository\": \"" + repository + "\"}";
		String head = "POST /api/admin/revoke HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
				+ "Content-Length: " + body.length() + "\r\n";
		assertThat(TestClient.raw(this.port, head + "Authorization: Bearer " + WORKER_KEY + "\r\n\r\n", body,
				Duration.ZERO))
			.startsWith("HTTP/1.1 403")
			.contains("role=admin");
		assertThat(TestClient.raw(this.port, head + "\r\n", body, Duration.ZERO)).startsWith("HTTP/1.1 401");
		assertThat(TestClient.raw(this.port, head.replace("/api/admin/revoke", "/api/admin%2Frevoke")
				+ "Authorization: Bearer " + WORKER_KEY + "\r\n\r\n", body, Duration.ZERO))
			.startsWith("HTTP/1.1 400");
		assertThat(GITHUB.revocations()).isEqualTo(revocations);
		assertThat(GITHUB.accepts(token)).isTrue();
		assertThat(token(repository)).isEqualTo(token);
	}

	@Test
	void aTokenIsRevokedByItsAuditFingerprintOrByTheClientItWasHandedTo() throws Exception {
		String first = TestEnvironment.uniqueRepository("packit");
		String second = TestEnvironment.uniqueRepository("packit");
		String one = token(first);
		String two = token(second);
		HttpResponse<String> byDigest = revoke(ADMIN_KEY,
				"{\"token_sha256\": \"" + sha256(one).substring(0, 12).toUpperCase() + "\"}");
		assertThat(byDigest.statusCode()).as(byDigest.body()).isEqualTo(200);
		assertThat(GITHUB.accepts(one)).isFalse();
		assertThat(GITHUB.accepts(two)).isTrue();
		HttpResponse<String> byClient = revoke(ADMIN_KEY, "{\"client\": \"worker\"}");
		assertThat(byClient.statusCode()).as(byClient.body()).isEqualTo(200);
		assertThat(byClient.body()).contains(sha256(two).substring(0, 16));
		assertThat(GITHUB.accepts(two)).isFalse();
		assertThat(token(second)).isNotEqualTo(two);
	}

	@Test
	void theRevokeScriptRevokesWithAnAdminKeyAndFailsWithAWorkersKey() throws Exception {
		requireTools("curl");
		String repository = TestEnvironment.uniqueRepository("packit");
		String token = token(repository);
		Run refused = script(WORKER_KEY, "repository", repository);
		assertThat(refused.exit()).as(refused.output()).isNotZero();
		assertThat(refused.output()).contains("role=admin");
		assertThat(GITHUB.accepts(token)).isTrue();
		Run revoked = script(ADMIN_KEY, "repository", repository);
		assertThat(revoked.exit()).as(revoked.output()).isZero();
		assertThat(revoked.output()).contains("\"github\":\"revoked\"");
		assertThat(GITHUB.accepts(token)).isFalse();
	}

	private Run script(String key, String... arguments) throws Exception {
		List<String> command = new ArrayList<>(List.of("scripts/tokman-revoke"));
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().put("TOKMAN_URL", "http://127.0.0.1:" + this.port);
		builder.environment().put("TOKMAN_API_KEY", key);
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		return new Run(process.waitFor(), output);
	}

	@Test
	void aMalformedSelectorRevokesNothing() throws Exception {
		String repository = TestEnvironment.uniqueRepository("packit");
		String token = token(repository);
		int revocations = GITHUB.revocations();
		for (String selector : List.of("{}", "{\"repo\": \"" + repository + "\"}", "[]", "not json",
				"{\"owner\": \"packit\", \"client\": \"worker\"}", "{\"token_sha256\": \"abc\"}",
				"{\"owner\": \"pack it\"}", "{\"owner\": 7}", "{\"repository\": \"packit\"}",
				"{\"owner\": \"packit\", \"permissions\": \"contents:read\"}")) {
			HttpResponse<String> answer = revoke(ADMIN_KEY, selector);
			assertThat(answer.statusCode()).as(selector + " -> " + answer.body()).isEqualTo(400);
			assertThat(answer.body()).startsWith("{\"error\":");
		}
		assertThat(revoke(ADMIN_KEY, "{\"owner\": \"" + "x".repeat(5000) + "\"}").statusCode()).isEqualTo(413);
		assertThat(GITHUB.revocations()).isEqualTo(revocations);
		assertThat(token(repository)).isEqualTo(token);
	}

	@Test
	void anUninstalledAppIsAnsweredNotInstalledAtOnceWithoutAMint(CapturedOutput output) throws Exception {
		String owner = "gone-" + UUID.randomUUID().toString().substring(0, 8);
		String repository = owner + "/repo";
		String token = token(repository);
		GITHUB.deleteInstallation(owner);
		int mints = GITHUB.totalTokenRequests();
		assertThat(token(repository)).as("before the event, the held token").isEqualTo(token);

		HttpResponse<String> delivered = deliver("installation",
				"{\"action\":\"deleted\",\"installation\":{\"id\":1," + "\"account\":{\"login\":\"" + owner + "\"}}}",
				SECRET);

		assertThat(delivered.statusCode()).as(delivered.body()).isEqualTo(202);
		assertThat(delivered.body()).contains("\"outcome\":\"applied\"");
		HttpResponse<String> answer = get("/api/" + repository, WORKER_KEY);
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
		assertThat(answer.body()).contains("not installed");
		assertThat(GITHUB.totalTokenRequests()).as("mints").isEqualTo(mints);
		assertThat(output)
			.containsPattern("client=github remote= repository=" + repository + " outcome=dropped .*token_sha256="
					+ sha256(token).substring(0, 16) + " .*cause=\"webhook installation deleted delivery ");
		GITHUB.installOwner(owner);
	}

	@Test
	void anInstallationCreatedOrUnsuspendedIsServedAtOnce() throws Exception {
		for (String action : List.of("created", "unsuspend")) {
			String owner = "back-" + UUID.randomUUID().toString().substring(0, 8);
			String repository = owner + "/repo";
			GITHUB.deleteInstallation(owner);
			assertThat(get("/api/" + repository, WORKER_KEY).statusCode()).isEqualTo(400);
			GITHUB.installOwner(owner);
			assertThat(get("/api/" + repository, WORKER_KEY).statusCode()).as("not installed, remembered")
				.isEqualTo(400);
			assertThat(deliver("installation", installation(action, owner), SECRET).statusCode()).isEqualTo(202);
			assertThat(get("/api/" + repository, WORKER_KEY).statusCode()).as(action).isEqualTo(200);
		}
	}

	@Test
	void newPermissionsAcceptedDropTheInstallationsTokensAndSuspendRevokesThem() throws Exception {
		String owner = "perms-" + UUID.randomUUID().toString().substring(0, 8);
		String token = token(owner + "/repo");
		assertThat(deliver("installation", installation("new_permissions_accepted", owner), SECRET).statusCode())
			.isEqualTo(202);
		String renewed = token(owner + "/repo");
		assertThat(renewed).as("the token after new permissions").isNotEqualTo(token);
		assertThat(GITHUB.accepts(token)).as("dropped, not revoked").isTrue();
		assertThat(deliver("installation", installation("suspend", owner), SECRET).statusCode()).isEqualTo(202);
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !GITHUB.accepts(renewed));
		assertThat(token(owner + "/repo")).isNotEqualTo(renewed);
	}

	@Test
	void aRenamedAccountsInstallationIdsAreForgotten() throws Exception {
		String owner = "old-" + UUID.randomUUID().toString().substring(0, 8);
		token(owner + "/repo");
		assertThat(installationIds(owner)).doesNotContainNull().isNotEmpty();
		String renamed = "{\"action\":\"renamed\",\"account\":{\"login\":\"new-" + owner + "\"},"
				+ "\"changes\":{\"login\":{\"from\":\"" + owner + "\"}},\"installation\":{\"id\":1}}";
		assertThat(deliver("installation_target", renamed, SECRET).body()).contains("applied");
		assertThat(installationIds(owner)).containsOnlyNulls();
	}

	private List<Long> installationIds(String owner) {
		return this.jdbc.queryForList("SELECT installation_id FROM tokens WHERE owner = ?", Long.class, owner);
	}

	private static String installation(String action, String owner) {
		return "{\"action\":\"" + action + "\",\"installation\":{\"id\":1,\"account\":{\"login\":\"" + owner + "\"}}}";
	}

	@Test
	void repositoriesAddedAreServedAtOnceAndRemovedOnesDropTheirTokens() throws Exception {
		String repository = TestEnvironment.uniqueRepository("packit");
		String name = repository.split("/")[1];
		GITHUB.uninstall(repository);
		assertThat(get("/api/" + repository, WORKER_KEY).statusCode()).isEqualTo(400);
		GITHUB.install(repository);
		assertThat(get("/api/" + repository, WORKER_KEY).statusCode()).as("not installed, remembered").isEqualTo(400);
		assertThat(deliver("installation_repositories", repositories("added", name), SECRET).statusCode())
			.isEqualTo(202);
		String token = token(repository);

		assertThat(deliver("installation_repositories", repositories("removed", name), SECRET).statusCode())
			.isEqualTo(202);

		assertThat(token(repository)).as("the token after the repository left").isNotEqualTo(token);
		assertThat(this.registry.get("tokman.webhook.deliveries")
			.tags("event", "installation_repositories", "outcome", "applied")
			.counter()
			.count()).isGreaterThanOrEqualTo(2);
	}

	@Test
	void aDeliveryNotSignedWithTheSecretOrReplayedChangesNothing() throws Exception {
		String repository = TestEnvironment.uniqueRepository("packit");
		String name = repository.split("/")[1];
		String token = token(repository);
		String removed = repositories("removed", name);
		assertThat(deliver("installation_repositories", removed, "a-wrong-secret").statusCode()).isEqualTo(401);
		HttpResponse<String> unsigned = HTTP.send(webhook("installation_repositories", removed).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(unsigned.statusCode()).isEqualTo(401);
		String huge = removed.replace("\"action\"", "\"padding\":\"" + "x".repeat(1024 * 1024) + "\",\"action\"");
		assertThat(deliver("installation_repositories", huge, SECRET).statusCode()).as("a body over 1 MiB")
			.isEqualTo(413);
		assertThat(token(repository)).isEqualTo(token);

		String delivery = UUID.randomUUID().toString();
		assertThat(deliver("installation_repositories", removed, SECRET, delivery).body()).contains("applied");
		String renewed = token(repository);
		HttpResponse<String> replayed = deliver("installation_repositories", removed, SECRET, delivery);

		assertThat(replayed.statusCode()).isEqualTo(202);
		assertThat(replayed.body()).contains("\"outcome\":\"replayed\"");
		assertThat(token(repository)).isEqualTo(renewed);
	}

	@Test
	void otherEventsAreAcknowledgedAndTheWebhookPathServesNoTokenWithoutAKey() throws Exception {
		HttpResponse<String> ping = deliver("ping", "{\"zen\":\"Design for failure.\"}", SECRET);
		assertThat(ping.statusCode()).isEqualTo(202);
		assertThat(ping.body()).contains("\"outcome\":\"ignored\"");
		int lookups = GITHUB.installationLookups();
		assertThat(TestClient.raw(this.port, "GET /api/github/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "",
				Duration.ZERO))
			.startsWith("HTTP/1.1 401");
		assertThat(GITHUB.installationLookups()).isEqualTo(lookups);
	}

	@Test
	void gitGetsTheTokenThroughTheHelperAndListsARepositorysRefsWithIt(@TempDir Path directory) throws Exception {
		requireTools("git", "curl");
		String repository = TestEnvironment.uniqueRepository("packit");
		String token = token(repository);
		Path home = Files.createDirectories(directory.resolve("home"));
		Path keyFile = Files.writeString(directory.resolve("api-key"), WORKER_KEY + "\n");

		Run fill = git(home, keyFile, "protocol=https\nhost=github.com\npath=" + repository + ".git\n\n", "credential",
				"fill");

		assertThat(fill.exit()).as(fill.output()).isZero();
		assertThat(fill.output()).contains("username=x-access-token\n", "password=" + token + "\n");

		Path root = Files.createDirectories(directory.resolve("served"));
		Path work = directory.resolve("work");
		assertThat(git(home, keyFile, "", "init", "-q", "-b", "main", work.toString()).exit()).isZero();
		assertThat(git(home, keyFile, "", "-C", work.toString(), "-c", "user.name=tokman", "-c",
				"user.email=tokman@example.com", "commit", "-q", "--allow-empty", "-m", "first")
			.exit()).isZero();
		assertThat(git(home, keyFile, "", "clone", "-q", "--bare", work.toString(),
				root.resolve(repository + ".git").toString())
			.exit()).isZero();
		try (GitHttpServer server = new GitHttpServer(root, GITHUB::accepts)) {
			Run listed = git(home, keyFile, "", "ls-remote", server.url(repository));
			assertThat(listed.exit()).as(listed.output()).isZero();
			assertThat(listed.output()).contains("refs/heads/main");
			Run withoutHelper = git(home, null, "", "-c", "credential.helper=", "ls-remote", server.url(repository));
			assertThat(withoutHelper.exit()).as("the server takes only tokens GitHub minted").isNotZero();
		}
	}

	/**
	 * Runs git with tokman's helper configured as the README says, the API key in a file,
	 * no user or system configuration, and never a prompt.
	 */
	private Run git(Path home, Path keyFile, String input, String... arguments) throws Exception {
		List<String> command = new ArrayList<>(
				List.of("git", "-c", "credential.helper=" + Path.of("scripts/git-credential-tokman").toAbsolutePath(),
						"-c", "credential.useHttpPath=true"));
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().put("HOME", home.toString());
		builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
		builder.environment().put("GIT_TERMINAL_PROMPT", "0");
		builder.environment().put("TOKMAN_URL", "http://127.0.0.1:" + this.port);
		if (keyFile != null) {
			builder.environment().put("TOKMAN_API_KEY_FILE", keyFile.toString());
		}
		Process process = builder.start();
		try (var in = process.getOutputStream()) {
			in.write(input.getBytes(StandardCharsets.UTF_8));
		}
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		return new Run(process.waitFor(), output);
	}

	/**
	 * The tools the scripts need: skipped where one is missing (the test image may lack
	 * git and curl), except where CI requires them (TOKMAN_REQUIRE_GIT=1).
	 */
	private static void requireTools(String... tools) throws InterruptedException {
		for (String tool : tools) {
			try {
				if (new ProcessBuilder(tool, "--version").redirectErrorStream(true)
					.redirectOutput(ProcessBuilder.Redirect.DISCARD)
					.start()
					.waitFor() == 0) {
					continue;
				}
			}
			catch (IOException ex) {
				// Not installed: below.
			}
			if ("1".equals(System.getenv("TOKMAN_REQUIRE_GIT"))) {
				throw new AssertionError("TOKMAN_REQUIRE_GIT=1, but " + tool + " cannot run");
			}
			Assumptions.abort(tool + " is not installed: the helper scripts cannot run here");
		}
	}

	/** A command's exit status and its output, standard error included. */
	private record Run(int exit, String output) {

	}

	private static String repositories(String action, String name) {
		return "{\"action\":\"" + action + "\",\"installation\":{\"id\":1,\"account\":{\"login\":\"packit\"}},"
				+ "\"repositories_" + action + "\":[{\"name\":\"" + name + "\",\"full_name\":\"packit/" + name
				+ "\"}]}";
	}

	private HttpResponse<String> deliver(String event, String body, String secret) throws Exception {
		return deliver(event, body, secret, UUID.randomUUID().toString());
	}

	private HttpResponse<String> deliver(String event, String body, String secret, String delivery) throws Exception {
		return HTTP.send(webhook(event, body).header("X-GitHub-Delivery", delivery)
			.header("X-Hub-Signature-256", signature(secret, body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** GitHub's X-Hub-Signature-256 of the body under the secret. */
	static String signature(String secret, String body) throws Exception {
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
	}

	private HttpRequest.Builder webhook(String event, String body) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/github/webhook"))
			.header("X-GitHub-Event", event)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
	}

	private HttpResponse<String> revoke(String key, String selector) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/admin/revoke"))
			.header("Authorization", "Bearer " + key)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(selector))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(String path, String key) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Authorization", "Bearer " + key)
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** The worker's token for the repository; anything but a 200 fails the test. */
	String token(String repository) throws Exception {
		HttpResponse<String> answer = get("/api/" + repository, WORKER_KEY);
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		return answer.body().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
	}

	private String tokenUnchecked(String repository) {
		try {
			return token(repository);
		}
		catch (Exception ex) {
			throw new AssertionError(ex);
		}
	}

	private int waiting() {
		return (int) this.registry.get("tokman.renewals.waiting").gauge().value();
	}

	static String sha256(String token) throws Exception {
		return HexFormat.of()
			.formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
	}

}
