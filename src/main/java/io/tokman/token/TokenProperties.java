package io.tokman.token;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.validation.annotation.Validated;

/**
 * When tokens are renewed.
 *
 * @param renewAt a stored token is renewed once it expires within this time; plain
 * numbers are seconds ({@code TOKEN_RENEW_AT})
 * @param namespaces the namespaces tokman serves, case-insensitively; any other gets a
 * 403. None means all ({@code TOKMAN_NAMESPACES}, comma-separated)
 * @param lockTimeout how long a request waits for another request's renewal of the same
 * repository before it gives up with a 503
 */
@Validated
@ConfigurationProperties("tokman.token")
public record TokenProperties(@NotNull @DurationUnit(ChronoUnit.SECONDS) Duration renewAt,
		@DefaultValue List<String> namespaces, @DefaultValue("30s") Duration lockTimeout) {

}
