package io.tokman.web.error;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors raised before Spring MVC sees the request (Tomcat rejecting a URL, say) are
 * answered in JSON too.
 */
@RestController
final class JsonErrorController implements ErrorController {

	@RequestMapping("${server.error.path:/error}")
	ResponseEntity<ErrorBody> error(HttpServletRequest request) {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		int status = (code instanceof Integer value && HttpStatus.resolve(value) != null) ? value
				: HttpStatus.INTERNAL_SERVER_ERROR.value();
		return ErrorResponses.entity(HttpStatusCode.valueOf(status), ErrorResponses.reason(status));
	}

}
