package io.tokman.token;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import io.tokman.github.GitHubApps;
import io.tokman.github.TokenScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The audit trail: a line per token handed out, naming the client, where it asked from,
 * the repository (or owner), the App that minted it, how the token came to be, its
 * expiry, its fingerprint (never the token), and what it may do: its kind, repositories
 * and the permissions GitHub granted. New tokens go to the logger {@code tokman.audit},
 * each at once; tokens served as held to {@code tokman.audit.served}, the first time a
 * token is handed to a client from an address, and the repeats, counted, to
 * {@code tokman.audit.summary} ({@link RepeatedHandouts}), so that logging configuration
 * can route or silence each. Tokens ended early go to {@code tokman.audit} too: revoked
 * by an admin ({@code outcome=revoked}, or {@code revoke-failed}), dropped on a GitHub
 * event ({@code outcome=dropped}, {@code client=github}), each with its cause; and what a
 * GitHub event made tokman forget ({@code outcome=forgot}).
 */
@Component
final class TokenAudit implements DisposableBean {

	private static final Logger changes = LoggerFactory.getLogger("tokman.audit");

	private static final Logger served = LoggerFactory.getLogger("tokman.audit.served");

	private static final Logger summaries = LoggerFactory.getLogger("tokman.audit.summary");

	private final GitHubApps apps;

	private final RepeatedHandouts repeats;

	TokenAudit(GitHubApps apps, TokenProperties properties, Clock clock) {
		this.apps = apps;
		this.repeats = new RepeatedHandouts(4 * properties.cacheSize(), clock, properties.auditSummaryInterval(),
				this::summary);
	}

	/** A client's repeats of a scope's tokens since the last summary. */
	private void summary(RepeatedHandouts.Summary summary) {
		if (summary.count() == 0) {
			return;
		}
		TokenScope scope = summary.scope();
		String where = scope.where().toLowerCase(Locale.ROOT);
		String kind = scope.kind().name().toLowerCase(Locale.ROOT);
		String repositories = (scope.kind() == TokenScope.Kind.OWNER)
				? String.join(",", scope.repositories()).toLowerCase(Locale.ROOT) : "";
		Handout token = summary.token();
		String permissions = (token.permissions() != null) ? token.permissions().text() : "";
		String app = this.apps.name(scope.app());
		Instant first = summary.first().truncatedTo(ChronoUnit.SECONDS);
		Instant last = summary.last().truncatedTo(ChronoUnit.SECONDS);
		summaries.atInfo()
			.addKeyValue("client", summary.client())
			.addKeyValue("remote", summary.remoteAddress())
			.addKeyValue("repository", where)
			.addKeyValue("outcome", "served-again")
			.addKeyValue("count", summary.count())
			.addKeyValue("first", first)
			.addKeyValue("last", last)
			.addKeyValue("token_sha256", token.fingerprint())
			.addKeyValue("kind", kind)
			.addKeyValue("repositories", repositories)
			.addKeyValue("permissions", permissions)
			.addKeyValue("app", app)
			.log("client={} remote={} repository={} outcome=served-again count={} first={} last={} token_sha256={}"
					+ " kind={} repositories={} permissions={} app={}", summary.client(), summary.remoteAddress(),
					where, summary.count(), first, last, token.fingerprint(), kind, repositories, permissions, app);
	}

	/**
	 * The scopes whose tokens the client was handed lately (within a token's lifetime).
	 */
	List<TokenScope> handedTo(String client) {
		return this.repeats.scopesHandedTo(client);
	}

	/** Sums up now the repeats counted since the last summary. */
	void summarize() {
		this.repeats.summarize();
	}

	/** Writes the repeats counted since the last summary. */
	@Override
	public void destroy() {
		this.repeats.close();
	}

	/** A stored token revoked or dropped, by whom and why. */
	void changed(String client, String remoteAddress, StoredToken row, String sha256, String outcome, String cause) {
		String app = this.apps.name(row.app());
		String where = row.kind().equals("owner") ? row.owner() : row.owner() + "/" + row.repositories();
		String repositories = row.kind().equals("owner") ? row.repositories() : "";
		String fingerprint = sha256.substring(0, 16);
		changes.atInfo()
			.addKeyValue("client", client)
			.addKeyValue("remote", remoteAddress)
			.addKeyValue("repository", where)
			.addKeyValue("outcome", outcome)
			.addKeyValue("expires_at", row.expiresAt())
			.addKeyValue("token_sha256", fingerprint)
			.addKeyValue("kind", row.kind())
			.addKeyValue("repositories", repositories)
			.addKeyValue("permissions", row.permissions())
			.addKeyValue("app", app)
			.addKeyValue("cause", cause)
			.log("client={} remote={} repository={} outcome={} expires_at={} token_sha256={} kind={} repositories={}"
					+ " permissions={} app={} cause=\"{}\"", client, remoteAddress, where, outcome, row.expiresAt(),
					fingerprint, row.kind(), repositories, row.permissions(), app, cause);
	}

	/** What a GitHub event made tokman forget for an owner: "not installed", ids. */
	void forgot(String app, String owner, Collection<String> repositories, String cause) {
		String where = owner.toLowerCase(Locale.ROOT);
		String names = String.join(",", repositories).toLowerCase(Locale.ROOT);
		changes.atInfo()
			.addKeyValue("client", "github")
			.addKeyValue("repository", where)
			.addKeyValue("outcome", "forgot")
			.addKeyValue("repositories", names)
			.addKeyValue("app", app)
			.addKeyValue("cause", cause)
			.log("client=github repository={} outcome=forgot repositories={} app={} cause=\"{}\"", where, names, app,
					cause);
	}

	void handedOut(String client, String remoteAddress, TokenScope scope, Handout handout) {
		boolean first = this.repeats.first(client, remoteAddress, scope, handout);
		boolean repeatable = handout.outcome() == Handout.Outcome.SERVED;
		Logger log = repeatable ? served : changes;
		if ((repeatable && !first) || !log.isInfoEnabled()) {
			return;
		}
		String outcome = handout.outcome().name().toLowerCase(Locale.ROOT);
		String where = scope.where().toLowerCase(Locale.ROOT);
		String kind = scope.kind().name().toLowerCase(Locale.ROOT);
		String repositories = (scope.kind() == TokenScope.Kind.OWNER)
				? String.join(",", scope.repositories()).toLowerCase(Locale.ROOT) : "";
		String permissions = (handout.permissions() != null) ? handout.permissions().text() : "";
		String app = this.apps.name(scope.app());
		log.atInfo()
			.addKeyValue("client", client)
			.addKeyValue("remote", remoteAddress)
			.addKeyValue("repository", where)
			.addKeyValue("outcome", outcome)
			.addKeyValue("expires_at", handout.expiresAt())
			.addKeyValue("token_sha256", handout.fingerprint())
			.addKeyValue("kind", kind)
			.addKeyValue("repositories", repositories)
			.addKeyValue("permissions", permissions)
			.addKeyValue("app", app)
			.log("client={} remote={} repository={} outcome={} expires_at={} token_sha256={} kind={} repositories={}"
					+ " permissions={} app={}", client, remoteAddress, where, outcome, handout.expiresAt(),
					handout.fingerprint(), kind, repositories, permissions, app);
	}

}
