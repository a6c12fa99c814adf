package io.tokman.token;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.tokman.github.GitHubApps;
import io.tokman.github.GitHubException;
import io.tokman.github.Permissions;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.domain.Limit;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Service;

/**
 * Ends tokens before they expire, in every tokman sharing the database: a token dropped
 * leaves the table (so no replica reads it again) and, through {@link TokenEvents}, every
 * replica's memory within a second; the next request for its scope mints a new one, once
 * for a herd. Revoking also asks GitHub to end the token. What an admin revokes and what
 * GitHub's installation events drop or forget, each written to the audit trail.
 */
@Service
public final class Revocations implements DisposableBean {

	private static final int BATCH = 500;

	private final StoredTokenRepository tokens;

	private final TokenCipher cipher;

	private final GitHubApps apps;

	private final TokenEvents events;

	private final TokenAudit audit;

	/** Revokes at GitHub the tokens an installation event dropped, one at a time. */
	private final ExecutorService background = Executors
		.newSingleThreadExecutor(new CustomizableThreadFactory("revocations-"));

	Revocations(StoredTokenRepository tokens, TokenCipher cipher, GitHubApps apps, TokenEvents events,
			TokenAudit audit) {
		this.tokens = tokens;
		this.cipher = cipher;
		this.apps = apps;
		this.events = events;
		this.audit = audit;
	}

	/**
	 * Revokes at GitHub, then drops, the tokens the selector picks; a token GitHub could
	 * not be asked to revoke is kept (and served) and listed as failed, so that the
	 * revocation can be asked again.
	 */
	Revoked revoke(Selector selector, String by, String remote) {
		List<Revoked.Token> revoked = new ArrayList<>();
		List<Revoked.Token> failed = new ArrayList<>();
		for (StoredToken row : select(selector)) {
			String sha256 = Handout.sha256(row.token());
			AtGitHub answer = revokeAtGitHub(row, sha256, by, remote, "");
			if (answer.revoked()) {
				drop(row);
			}
			(answer.revoked() ? revoked : failed)
				.add(Revoked.Token.of(row, this.apps.name(row.app()), sha256, answer.said()));
		}
		return new Revoked(revoked, failed);
	}

	/**
	 * GitHub says the App's installation was deleted or suspended: its tokens are dropped
	 * (and revoked first where {@code revoke} and GitHub still takes them), its id
	 * forgotten with its rows; how many tokens.
	 */
	public void dropInstallation(String app, long installationId, String account, boolean revoke, String cause) {
		Map<Integer, StoredToken> rows = new LinkedHashMap<>();
		this.tokens.findByAppAndInstallationId(app, installationId).forEach((row) -> rows.put(row.id(), row));
		this.tokens.findByAppAndOwner(app, account.toLowerCase(Locale.ROOT)).forEach((row) -> rows.put(row.id(), row));
		dropAll(rows.values(), revoke, cause);
	}

	/**
	 * GitHub says the repositories left the App's installation: the tokens of their
	 * scopes, and of owner scopes that list them, are dropped.
	 */
	public void dropRepositories(String app, String owner, Collection<String> repositories, String cause) {
		List<String> names = repositories.stream().map((name) -> name.toLowerCase(Locale.ROOT)).toList();
		List<StoredToken> rows = this.tokens.findByAppAndOwner(app, owner.toLowerCase(Locale.ROOT))
			.stream()
			.filter((row) -> Arrays.stream(row.repositories().split(",")).anyMatch(names::contains))
			.toList();
		dropAll(rows, false, cause);
	}

	/**
	 * GitHub says the App was installed on the owner's repositories named, or on the
	 * owner's account (installed, unsuspended, new permissions accepted): "not installed"
	 * and the installation ids remembered for the owner are forgotten.
	 */
	public void installed(String app, String owner, Collection<String> repositories, String cause) {
		if (repositories.isEmpty()) {
			this.tokens.forgetInstallations(app, owner.toLowerCase(Locale.ROOT));
		}
		this.events.installed(app, owner, repositories);
		this.audit.forgot(this.apps.name(app), owner, repositories, cause);
	}

	/**
	 * Drops the rows now; where {@code revoke}, asks GitHub to revoke their tokens in the
	 * background, so that a webhook delivery is answered within GitHub's ten seconds
	 * however many tokens an installation had.
	 */
	private void dropAll(Collection<StoredToken> rows, boolean revoke, String cause) {
		List<StoredToken> dropped = new ArrayList<>();
		for (StoredToken row : rows) {
			row.open(this.cipher);
			drop(row);
			if (row.token() != null) {
				dropped.add(row);
				this.audit.changed("github", "", row, Handout.sha256(row.token()), "dropped", cause);
			}
		}
		if (revoke && !dropped.isEmpty()) {
			this.background.execute(() -> dropped
				.forEach((row) -> revokeAtGitHub(row, Handout.sha256(row.token()), "github", "", cause + ", ")));
		}
	}

	/**
	 * Asks GitHub to revoke the row's token and writes the audit line, {@code revoked} or
	 * {@code revoke-failed}, its cause after {@code causeBefore}.
	 */
	private AtGitHub revokeAtGitHub(StoredToken row, String sha256, String by, String remote, String causeBefore) {
		try {
			String said = this.apps.revoke(row.app(), row.token()) ? "revoked" : "already invalid";
			this.audit.changed(by, remote, row, sha256, "revoked", causeBefore + "github " + said);
			return new AtGitHub(true, said);
		}
		catch (GitHubException ex) {
			this.audit.changed(by, remote, row, sha256, "revoke-failed", causeBefore + ex.getMessage());
			return new AtGitHub(false, ex.getMessage());
		}
	}

	/**
	 * Whether GitHub could be asked to revoke a token (and then, it no longer takes it),
	 * and what it said.
	 */
	private record AtGitHub(boolean revoked, String said) {

	}

	@Override
	public void destroy() {
		this.background.shutdownNow();
	}

	/** Removes the row, unless renewed meanwhile, and the token from every memory. */
	private void drop(StoredToken row) {
		if (row.sealedToken() != null) {
			this.tokens.deleteHolding(row.id(), row.sealedToken());
		}
		else {
			this.tokens.deleteTokenless(row.id());
		}
		String first = row.repositories().isEmpty() ? null : row.repositories().split(",")[0];
		this.events.tokensDropped(row.app(), row.owner(), first);
	}

	/** The rows holding a token that the selector picks. */
	private List<StoredToken> select(Selector selector) {
		List<StoredToken> rows = new ArrayList<>();
		if (selector.repository() != null) {
			String permissions = (selector.permissions() != null) ? Permissions.parse(selector.permissions()).text()
					: null;
			this.tokens.findByOwner(selector.owner().toLowerCase(Locale.ROOT))
				.stream()
				.filter((row) -> !"owner".equals(row.kind())
						&& row.repositories().equals(selector.repository().toLowerCase(Locale.ROOT))
						&& (permissions == null || row.permissions().equals(permissions)))
				.forEach(rows::add);
		}
		else if (selector.owner() != null) {
			rows.addAll(this.tokens.findByOwner(selector.owner().toLowerCase(Locale.ROOT)));
		}
		else if (selector.client() != null) {
			this.audit.handedTo(selector.client())
				.forEach((scope) -> this.tokens.find(new StoredToken(scope)).ifPresent(rows::add));
		}
		else {
			Integer after = 0;
			List<StoredToken> batch;
			do {
				batch = this.tokens.findByTokenIsNotNullAndIdGreaterThanOrderByIdAsc(after, Limit.of(BATCH));
				for (StoredToken row : batch) {
					row.open(this.cipher);
					if (row.token() != null && Handout.sha256(row.token()).startsWith(selector.tokenSha256())) {
						rows.add(row);
					}
					after = row.id();
				}
			}
			while (batch.size() == BATCH);
		}
		rows.forEach((row) -> row.open(this.cipher));
		return rows.stream().filter((row) -> row.token() != null).toList();
	}

}
