package io.tokman.observability;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How tokman writes its log.
 *
 * @param queueSize how many lines may wait to be written by the log's own thread; once
 * four-fifths of it are waiting, lines other than warnings, errors and the audit trail
 * are dropped and counted ({@code tokman_log_lines_dropped_total}); 0 writes each line on
 * the thread that logs it
 */
@Validated
@ConfigurationProperties(prefix = "tokman.log", ignoreUnknownFields = false)
record LogProperties(@DefaultValue("4096") @Min(0) int queueSize) {

}
