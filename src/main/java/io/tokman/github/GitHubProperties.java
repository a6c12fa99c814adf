package io.tokman.github;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How tokman reaches GitHub and authenticates as the App. The original tokman's
 * environment variables fill the first three (see {@code LegacySettings}).
 *
 * @param appId the App's numeric ID or its client ID, sent as the JWT's {@code iss}
 * ({@code GITHUB_APP_ID}); anything else (a placeholder) stops startup
 * @param privateKey the App's PEM private key, PKCS#1 or PKCS#8, or a directory whose
 * {@code private-key*.pem} files are its keys ({@code GITHUB_APP_PRIVATE_KEY}, else
 * {@code SECRETS_DIR})
 * @param activeKey the key to sign with, by file name or {@code SHA256:} fingerprint;
 * unset for the newest file
 * @param keyCheckInterval how often the key files are checked for changes; 0 reads them
 * at startup only
 * @param apiUrl base URL of GitHub's REST API, {@code https://HOST/api/v3} for GitHub
 * Enterprise Server ({@code GITHUB_API_URL})
 * @param connectTimeout how long to wait for a TCP connection to GitHub
 * @param readTimeout how long to wait for each read from GitHub
 * @param callTimeout how long one whole GitHub call may take, connecting, writing and
 * reading included
 * @param retries how many times a GitHub call that failed with a 5xx or a network error
 * is tried again
 * @param retryDelay the wait before the first retry; it doubles with each retry, with
 * jitter
 * @param deadline how long one mint may take in all (installation lookup, token request,
 * retries and waits) before the request answers with a 504
 * @param notInstalledFor how long GitHub's "not installed" for a repository is
 * remembered, so that a loop asking for it costs one GitHub call that often; 0 turns the
 * memory off
 * @param circuitPause once at least half of GitHub's last 10 answers were 5xx or none, it
 * is not called for this long, then one call probes it; 0 turns this off
 * @param concurrentCalls how many calls tokman makes to GitHub at once, every App's
 * together (GitHub's secondary rate limit allows 100); the others wait their turn within
 * their mint's deadline
 * @param webhookSecretFile a file holding the App's webhook secret, one a line
 * ({@code GITHUB_WEBHOOK_SECRET_FILE}); unset, webhook deliveries are refused
 */
@Validated
@ConfigurationProperties(prefix = "tokman.github", ignoreUnknownFields = false)
record GitHubProperties(@NotBlank(message = "must be set (GITHUB_APP_ID)") @Pattern(
		regexp = "\\d{1,12}|Iv[0-9A-Za-z.]{8,40}",
		message = "must be the App's numeric ID or its client ID, Iv1.<hex> or Iv23<...> (GITHUB_APP_ID)") String appId,
		@DefaultValue(".") @NotNull(message = "must be set (GITHUB_APP_PRIVATE_KEY)") Path privateKey, String activeKey,
		@DefaultValue("10s") Duration keyCheckInterval,
		@DefaultValue("https://api.github.com") @NotNull(message = "must be set (GITHUB_API_URL)") URI apiUrl,
		@DefaultValue("5s") Duration connectTimeout, @DefaultValue("10s") Duration readTimeout,
		@DefaultValue("10s") Duration callTimeout, @DefaultValue("3") long retries,
		@DefaultValue("250ms") Duration retryDelay, @DefaultValue("20s") Duration deadline,
		@DefaultValue("60s") Duration notInstalledFor, @DefaultValue("30s") Duration circuitPause,
		@DefaultValue("100") @Min(1) int concurrentCalls, Path webhookSecretFile) {

}
