package io.tokman.access;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may ask tokman for tokens, and for which namespaces. Open by default, so existing
 * ogr deployments keep working.
 *
 * @param apiKeys keys a client must send as {@code Authorization: Bearer <key>}; none
 * means no check ({@code TOKMAN_API_KEYS}, comma-separated)
 * @param apiKeysFile a file with one more key a line, {@code #} comments allowed
 * ({@code TOKMAN_API_KEYS_FILE})
 * @param namespaces the namespaces tokman serves, case-insensitively; any other gets a
 * 403. None means all ({@code TOKMAN_NAMESPACES}, comma-separated)
 */
@ConfigurationProperties("tokman.access")
public record AccessProperties(@DefaultValue List<String> apiKeys, @DefaultValue("") String apiKeysFile,
		@DefaultValue List<String> namespaces) {

	@Override
	public String toString() {
		return "AccessProperties[apiKeys=<" + this.apiKeys.size() + " redacted>, apiKeysFile=" + this.apiKeysFile
				+ ", namespaces=" + this.namespaces + "]";
	}

}
