package io.tokman.github;

import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * The GitHub endpoints tokman calls: each call's URL with the template it was built from,
 * which the client tags its request with and the metrics name it by (one series per
 * endpoint, not per repository).
 *
 * @param url the URL called
 * @param template the URL's template, {@code /repos/{owner}/{repo}/installation}
 */
record GitHubEndpoints(HttpUrl url, String template) {

	static final String INSTALLATION = "/repos/{owner}/{repo}/installation";

	static final String OWNER_INSTALLATION = "/users/{owner}/installation";

	static final String ACCESS_TOKENS = "/app/installations/{id}/access_tokens";

	static final String INSTALLATION_TOKEN = "/installation/token";

	static GitHubEndpoints installation(HttpUrl api, RepositoryName repository) {
		return new GitHubEndpoints(api.newBuilder()
			.addPathSegment("repos")
			.addPathSegment(repository.namespace())
			.addPathSegment(repository.repository())
			.addPathSegment("installation")
			.build(), INSTALLATION);
	}

	/** The owner's installation; GitHub answers it for organisations and users alike. */
	static GitHubEndpoints ownerInstallation(HttpUrl api, String owner) {
		return new GitHubEndpoints(
				api.newBuilder().addPathSegment("users").addPathSegment(owner).addPathSegment("installation").build(),
				OWNER_INSTALLATION);
	}

	static GitHubEndpoints accessTokens(HttpUrl api, long installationId) {
		return new GitHubEndpoints(api.newBuilder()
			.addPathSegments("app/installations")
			.addPathSegment(Long.toString(installationId))
			.addPathSegment("access_tokens")
			.build(), ACCESS_TOKENS);
	}

	/** The token the request authenticates with: {@code DELETE} revokes it. */
	static GitHubEndpoints installationToken(HttpUrl api) {
		return new GitHubEndpoints(api.newBuilder().addPathSegments("installation/token").build(), INSTALLATION_TOKEN);
	}

	/**
	 * A request to the endpoint with the headers GitHub asks for, tagged with the
	 * endpoint for the metrics.
	 */
	Request.Builder request(String userAgent) {
		return new Request.Builder().url(this.url)
			.tag(GitHubEndpoints.class, this)
			.header("Accept", "application/vnd.github+json")
			.header("X-GitHub-Api-Version", "2022-11-28")
			.header("User-Agent", userAgent);
	}

	/** The template a request was built from, for metrics; "other" if none. */
	static String template(Request request) {
		GitHubEndpoints endpoint = request.tag(GitHubEndpoints.class);
		return (endpoint != null) ? endpoint.template() : "other";
	}

}
