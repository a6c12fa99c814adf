package io.tokman.token;

import java.util.Locale;

import io.tokman.github.RepositoryName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The audit trail: one line per token handed out, naming the client, where it asked from,
 * the repository, how the token came to be, its expiry and its fingerprint (never the
 * token). New tokens go to the logger {@code tokman.audit}, tokens served as held to
 * {@code tokman.audit.served}, so that logging configuration can route or silence either.
 */
@Component
final class TokenAudit {

	private static final Logger changes = LoggerFactory.getLogger("tokman.audit");

	private static final Logger served = LoggerFactory.getLogger("tokman.audit.served");

	void handedOut(String client, String remoteAddress, RepositoryName repository, Handout handout) {
		Logger log = (handout.outcome() == Handout.Outcome.SERVED) ? served : changes;
		if (!log.isInfoEnabled()) {
			return;
		}
		String outcome = handout.outcome().name().toLowerCase(Locale.ROOT);
		log.atInfo()
			.addKeyValue("client", client)
			.addKeyValue("remote", remoteAddress)
			.addKeyValue("repository", repository.key())
			.addKeyValue("outcome", outcome)
			.addKeyValue("expires_at", handout.expiresAt())
			.addKeyValue("token_sha256", handout.fingerprint())
			.log("client={} remote={} repository={} outcome={} expires_at={} token_sha256={}", client, remoteAddress,
					repository.key(), outcome, handout.expiresAt(), handout.fingerprint());
	}

}
