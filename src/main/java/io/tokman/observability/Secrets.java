package io.tokman.observability;

import java.util.regex.Pattern;

/**
 * Takes what looks like a credential out of text bound for outside the process: GitHub's
 * tokens of every kind, JWTs (the App's, OIDC tokens), PEM private keys, and whatever
 * follows a {@code Bearer} or {@code token} scheme (API keys).
 */
final class Secrets {

	private static final Pattern SECRET = Pattern.compile(String.join("|",
			// ghs_, ghp_, gho_, ghu_, ghr_ tokens, and fine-grained personal tokens.
			"\\bgh[opsur]_[A-Za-z0-9_.-]{8,}", "\\bgithub_pat_[A-Za-z0-9_]{8,}",
			// A JWT: three base64url parts, the first a JSON header.
			"\\beyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*",
			"-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)",
			"(?i)\\b(bearer|token)\\s+[A-Za-z0-9._~+/=-]{8,}"));

	private Secrets() {
	}

	static String scrub(String text) {
		return (text != null) ? SECRET.matcher(text).replaceAll("<redacted>") : null;
	}

}
