package io.tokman.web.error;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;

import tools.jackson.databind.json.JsonMapper;

/**
 * The one writer of the original tokman's {@code {"error": "..."}} body: as a Spring MVC
 * answer, or as JSON text where there is no Spring MVC (Tomcat's error valve).
 */
final class ErrorResponses {

	private ErrorResponses() {
	}

	static ResponseEntity<ErrorBody> entity(HttpStatusCode status, String message) {
		return ResponseEntity.status(status).body(new ErrorBody(message));
	}

	/** The body as JSON text; the message is escaped, whatever it holds. */
	static String json(String message) {
		return JsonMapper.shared().writeValueAsString(new ErrorBody(message));
	}

	/**
	 * The standard reason phrase of a status, as the message of an error with no other.
	 */
	static String reason(int status) {
		HttpStatus known = HttpStatus.resolve(status);
		return (known != null) ? known.getReasonPhrase() : "Error";
	}

}
