package io.tokman.web.error;

import java.time.Duration;

import io.tokman.access.BudgetSpentException;
import io.tokman.access.IssuerUnavailableException;
import io.tokman.access.NamespaceNotServedException;
import io.tokman.access.NotGrantedException;
import io.tokman.github.AppNotInstalledException;
import io.tokman.github.GitHubFailingException;
import io.tokman.github.GitHubUnavailableException;
import io.tokman.github.InvalidPermissionsException;
import io.tokman.github.InvalidRepositoryNameException;
import io.tokman.github.RateLimitedException;
import io.tokman.github.RepositoryMovedException;
import io.tokman.github.TokenRefusedException;
import io.tokman.github.UnexpectedAnswerException;
import io.tokman.token.InvalidRequestException;
import io.tokman.token.DatabaseUnavailableException;
import io.tokman.token.RenewalTimeoutException;
import io.tokman.token.TokenTooNewException;
import io.tokman.token.ReportCutOffException;
import io.tokman.token.ReportTooLargeException;
import io.tokman.token.ReportTooSlowException;
import io.tokman.observability.ErrorReports;
import io.tokman.webhook.WebhookRefusedException;
import io.tokman.webhook.WebhooksOffException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Maps every failure to the original tokman's {@code {"error": "..."}} body and a status
 * ogr's client reads right: 400 only for "not installed" and bad input, 403 for what the
 * client or the installation may not have, 5xx (which it retries) for anything GitHub or
 * tokman got wrong.
 */
@RestControllerAdvice
final class ApiErrors extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

	private static final String FAILED = "Failed to retrieve a token: ";

	private static final String DATABASE_DOWN = FAILED + "tokman's database does not answer; try again shortly";

	/** Sentry, when configured; absent from test slices. */
	private final ObjectProvider<ErrorReports> reports;

	ApiErrors(ObjectProvider<ErrorReports> reports) {
		this.reports = reports;
	}

	@ExceptionHandler
	ResponseEntity<ErrorBody> invalidName(InvalidRepositoryNameException ex) {
		return error(HttpStatus.BAD_REQUEST, ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<ErrorBody> invalidPermissions(InvalidPermissionsException ex) {
		return error(HttpStatus.BAD_REQUEST, ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<ErrorBody> invalidRequest(InvalidRequestException ex) {
		return error(HttpStatus.BAD_REQUEST, ex.getMessage());
	}

	/** No credential, or a wrong one: the message never repeats what was sent. */
	@ExceptionHandler
	ResponseEntity<ErrorBody> unauthenticated(AuthenticationException ex) {
		return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
			.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
			.body(new ErrorBody("Send a valid API key as 'Authorization: Bearer <key>'"));
	}

	@ExceptionHandler
	ResponseEntity<ErrorBody> unsigned(WebhookRefusedException ex) {
		return error(HttpStatus.UNAUTHORIZED, ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<ErrorBody> webhooksOff(WebhooksOffException ex) {
		return error(HttpStatus.NOT_FOUND, ex.getMessage());
	}

	/** A trusted issuer's keys cannot be fetched: not the client's fault, try again. */
	@ExceptionHandler
	ResponseEntity<ErrorBody> issuerUnavailable(IssuerUnavailableException ex) {
		return retryLater(HttpStatus.SERVICE_UNAVAILABLE, ex.retryAfter(), ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<ErrorBody> accessDenied(AccessDeniedException ex) {
		return error(HttpStatus.FORBIDDEN, "This client may not ask for that");
	}

	/** Spring Security's firewall refused the path: encoded slashes, dot segments, ... */
	@ExceptionHandler
	ResponseEntity<ErrorBody> malformedPath(RequestRejectedException ex) {
		return error(HttpStatus.BAD_REQUEST, "Invalid path");
	}

	@ExceptionHandler
	ResponseEntity<ErrorBody> reportTooLarge(ReportTooLargeException ex) {
		return error(HttpStatus.CONTENT_TOO_LARGE, ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<ErrorBody> reportTooSlow(ReportTooSlowException ex) {
		return error(HttpStatus.REQUEST_TIMEOUT, ex.getMessage());
	}

	/** Logged where it happened, at INFO: a worker going away is nothing to fix. */
	@ExceptionHandler
	ResponseEntity<ErrorBody> reportCutOff(ReportCutOffException ex) {
		return error(HttpStatus.BAD_REQUEST, ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<ErrorBody> notGranted(NotGrantedException ex) {
		return error(HttpStatus.FORBIDDEN, ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<ErrorBody> namespaceNotServed(NamespaceNotServedException ex) {
		return error(HttpStatus.FORBIDDEN, ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<ErrorBody> notInstalled(AppNotInstalledException ex) {
		return error(HttpStatus.BAD_REQUEST, FAILED + ex.getMessage());
	}

	/** GitHub's 422: the installation lacks a permission or a repository asked for. */
	@ExceptionHandler
	ResponseEntity<ErrorBody> refused(TokenRefusedException ex) {
		return error(HttpStatus.FORBIDDEN, FAILED + ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<ErrorBody> moved(RepositoryMovedException ex) {
		return error(HttpStatus.BAD_REQUEST, FAILED + ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<ErrorBody> gitHubUnavailable(GitHubUnavailableException ex) {
		log.warn("{}", ex.getMessage());
		return error(ex.isTimeout() ? HttpStatus.GATEWAY_TIMEOUT : HttpStatus.BAD_GATEWAY, FAILED + ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<ErrorBody> gitHubFailed(UnexpectedAnswerException ex) {
		if (ex.status() == 401) {
			String message = ex.getMessage() + ". GitHub rejected the App's JWT: check GITHUB_APP_ID and that "
					+ "GITHUB_APP_PRIVATE_KEY is that App's current key";
			log.error("{}", message);
			this.reports.ifAvailable((reports) -> reports.appRejected(message));
		}
		else {
			log.warn("{}", ex.getMessage());
		}
		return error(HttpStatus.BAD_GATEWAY, FAILED + ex.getMessage());
	}

	/** Logged once, when GitHub started failing, not at each request held back. */
	@ExceptionHandler
	ResponseEntity<ErrorBody> gitHubFailing(GitHubFailingException ex) {
		return retryLater(HttpStatus.SERVICE_UNAVAILABLE, ex.retryAfter(), FAILED + ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<ErrorBody> rateLimited(RateLimitedException ex) {
		log.warn("{}", ex.getMessage());
		return retryLater(HttpStatus.SERVICE_UNAVAILABLE, ex.retryAfter(), FAILED + ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<ErrorBody> budgetSpent(BudgetSpentException ex) {
		log.warn("{}", ex.getMessage());
		return retryLater(HttpStatus.TOO_MANY_REQUESTS, ex.retryAfter(), ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<ErrorBody> tokenTooNew(TokenTooNewException ex) {
		return retryLater(HttpStatus.SERVICE_UNAVAILABLE, ex.retryAfter(), ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<ErrorBody> renewalTimeout(RenewalTimeoutException ex) {
		log.warn("{}", ex.getMessage());
		return error(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
	}

	/** Logged once, when the database stopped answering, not at each request. */
	@ExceptionHandler
	ResponseEntity<ErrorBody> databaseUnavailable(DatabaseUnavailableException ex) {
		return retryLater(HttpStatus.SERVICE_UNAVAILABLE, ex.retryAfter(), DATABASE_DOWN);
	}

	/** The database refused a connection or dropped one: in words, without a trace. */
	@ExceptionHandler
	ResponseEntity<ErrorBody> databaseFailed(DataAccessResourceFailureException ex) {
		log.warn("The database failed: {}", ex.getMostSpecificCause().getMessage());
		return retryLater(HttpStatus.SERVICE_UNAVAILABLE, Duration.ofSeconds(1), DATABASE_DOWN);
	}

	@ExceptionHandler
	ResponseEntity<ErrorBody> unexpected(Exception ex) {
		log.error("Unexpected failure", ex);
		this.reports.ifAvailable((reports) -> reports.unexpected(ex));
		return error(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");
	}

	/** Spring MVC's own failures (404, 405, ...) keep their status, in the same body. */
	@Override
	protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode status,
			WebRequest request) {
		String message = (body instanceof ProblemDetail problem && problem.getDetail() != null) ? problem.getDetail()
				: ErrorResponses.reason(status.value());
		return ResponseEntity.status(status).headers(headers).body(new ErrorBody(message));
	}

	/** The error with Retry-After: whole seconds, rounded up, at least one. */
	private static ResponseEntity<ErrorBody> retryLater(HttpStatus status, Duration wait, String message) {
		long seconds = Math.max(1, wait.toSeconds() + ((wait.toNanosPart() > 0) ? 1 : 0));
		return ResponseEntity.status(status)
			.header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
			.body(new ErrorBody(message));
	}

	private static ResponseEntity<ErrorBody> error(HttpStatus status, String message) {
		return ErrorResponses.entity(status, message);
	}

}
