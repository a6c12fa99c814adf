package io.tokman.github;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The Apps tokman mints for: those {@code tokman.apps} lists, each for the owners its
 * globs match, tried in their order, then the App the original settings name, for every
 * other owner. Each has a client of its own, so its JWT, keys, installation ids, "not
 * installed" memory, rate limit and circuit are its own.
 */
public final class GitHubApps {

	private final GitHubClient primary;

	private final String primaryId;

	private final List<App> listed;

	/** The primary App's webhook secret; null if none is set. */
	private final WebhookSecret primarySecret;

	GitHubApps(GitHubClient primary, String primaryId, WebhookSecret primarySecret, List<App> listed) {
		this.primary = primary;
		this.primaryId = primaryId;
		this.primarySecret = primarySecret;
		this.listed = List.copyOf(listed);
	}

	/** One App, the one the original settings name. */
	static GitHubApps of(GitHubClient client, String appId) {
		return new GitHubApps(client, appId, null, List.of());
	}

	/** The scope, to be minted by the App that serves its owner. */
	public TokenScope route(TokenScope scope) {
		String owner = scope.owner().toLowerCase(Locale.ROOT);
		for (App app : this.listed) {
			if (app.owners().stream().anyMatch((glob) -> glob.matcher(owner).matches())) {
				return scope.forApp(app.id());
			}
		}
		return scope.forApp("");
	}

	/** Mints a token for the scope, as the App it was routed to. */
	public InstallationToken mintToken(TokenScope scope, Long knownInstallation) {
		return client(scope.app()).mintToken(scope, knownInstallation);
	}

	/**
	 * Revokes the token the App minted; true if GitHub revoked it, false if GitHub no
	 * longer took it.
	 */
	public boolean revoke(String app, String token) {
		return client(app).revoke(token);
	}

	/**
	 * Forgets the App's "not installed" for the owner's repositories named, or all of the
	 * owner's where none is.
	 */
	public void forgetNotInstalled(String app, String owner, Collection<String> repositories) {
		client(app).notInstalled().forget(owner, repositories);
	}

	/**
	 * Whether any App has a webhook secret: whether deliveries can be verified at all.
	 */
	public boolean webhooks() {
		return this.primarySecret != null || this.listed.stream().anyMatch((app) -> app.secret() != null);
	}

	/**
	 * The App whose webhook secret signed the body ({@code X-Hub-Signature-256}), each
	 * App's secret tried; empty if none did.
	 */
	public Optional<String> signedBy(byte[] body, String signature) {
		if (this.primarySecret != null && this.primarySecret.verifies(body, signature)) {
			return Optional.of("");
		}
		return this.listed.stream()
			.filter((app) -> app.secret() != null && app.secret().verifies(body, signature))
			.map(App::id)
			.findFirst();
	}

	/** The App's id as logs name it: the original settings' App for "". */
	public String name(String app) {
		return app.isEmpty() ? this.primaryId : app;
	}

	private GitHubClient client(String app) {
		if (app.isEmpty()) {
			return this.primary;
		}
		return this.listed.stream()
			.filter((listed) -> listed.id().equals(app))
			.map(App::client)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No App " + app));
	}

	/**
	 * Globs of owner names as patterns: {@code *} any run of characters, {@code ?} one.
	 */
	static List<Pattern> owners(List<String> globs) {
		return globs.stream()
			.map((glob) -> Pattern.compile(glob.toLowerCase(Locale.ROOT).replace("?", ".").replace("*", ".*")))
			.toList();
	}

	/** Stops checking the listed Apps' key files. */
	void close() {
		this.listed.forEach((app) -> app.keys().close());
	}

	/**
	 * A listed App: its id, the owners it serves, its client, its keys, its webhook
	 * secret (null if none).
	 */
	record App(String id, List<Pattern> owners, GitHubClient client, AppKeys keys, WebhookSecret secret) {

	}

}
