package io.tokman.web.error;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The original tokman's error body, which ogr's client reads.
 *
 * @param error what went wrong, for a person to read
 */
@Schema(name = "ErrorBody", description = "What went wrong")
public record ErrorBody(
		@Schema(example = "Failed to retrieve a token: App is not installed on packit/ogr") String error) {

}
