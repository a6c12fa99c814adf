package io.tokman.github;

import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * The two GitHub endpoints tokman calls, built from one template each, which the client
 * and the metrics (one series per endpoint, not per repository) both use.
 */
final class GitHubEndpoints {

	static final String INSTALLATION = "/repos/{owner}/{repo}/installation";

	static final String ACCESS_TOKENS = "/app/installations/{id}/access_tokens";

	private GitHubEndpoints() {
	}

	static HttpUrl installation(HttpUrl api, RepositoryName repository) {
		return api.newBuilder()
			.addPathSegment("repos")
			.addPathSegment(repository.namespace())
			.addPathSegment(repository.repository())
			.addPathSegment("installation")
			.build();
	}

	static HttpUrl accessTokens(HttpUrl api, long installationId) {
		return api.newBuilder()
			.addPathSegments("app/installations")
			.addPathSegment(Long.toString(installationId))
			.addPathSegment("access_tokens")
			.build();
	}

	/** The template a request was built from, for metrics. */
	static String template(Request request) {
		String path = request.url().encodedPath();
		if (path.endsWith("/installation")) {
			return INSTALLATION;
		}
		if (path.endsWith("/access_tokens")) {
			return ACCESS_TOKENS;
		}
		return "other";
	}

}
