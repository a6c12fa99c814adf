package io.tokman.github;

import java.util.List;

import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * The GitHub endpoints tokman calls, built from one template each, which the client and
 * the metrics (one series per endpoint, not per repository) both use.
 */
final class GitHubEndpoints {

	static final String INSTALLATION = "/repos/{owner}/{repo}/installation";

	static final String OWNER_INSTALLATION = "/users/{owner}/installation";

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

	/** The owner's installation; GitHub answers it for organisations and users alike. */
	static HttpUrl ownerInstallation(HttpUrl api, String owner) {
		return api.newBuilder().addPathSegment("users").addPathSegment(owner).addPathSegment("installation").build();
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
		List<String> segments = request.url().pathSegments();
		if (path.endsWith("/installation") && segments.size() >= 4
				&& segments.get(segments.size() - 4).equals("repos")) {
			return INSTALLATION;
		}
		if (path.endsWith("/installation") && segments.size() >= 3
				&& segments.get(segments.size() - 3).equals("users")) {
			return OWNER_INSTALLATION;
		}
		if (path.endsWith("/access_tokens")) {
			return ACCESS_TOKENS;
		}
		return "other";
	}

}
