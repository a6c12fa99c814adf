package io.tokman.token;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.request.async.DeferredResultProcessingInterceptor;
import org.springframework.web.context.request.async.WebAsyncUtils;

/**
 * Reads request bodies: a worker's report of an invalid token ({@code {"access_token":
 * "..."}}, at most {@value #MAX_BODY} bytes, with a token no longer than any GitHub
 * token, {@value #MAX_TOKEN} characters), an admin's revocation, a GitHub webhook
 * delivery; each within the report timeout. Read only once the caller is known to be
 * allowed (or, for a webhook, before its signature can be checked, within its own bound),
 * and bounded before a byte is parsed, so that no body can exhaust memory. The body is
 * read without blocking: a client that stalls holds no thread and none of the slots that
 * bound the requests handled at once, and gets its 408 when the timeout runs out, however
 * little it sent.
 */
@Component
public final class BodyReader implements DisposableBean, MeterBinder {

	static final int MAX_BODY = 8 * 1024;

	static final int MAX_TOKEN = 2048;

	/**
	 * The longest any report may take, body, renewal and waits included: longer than
	 * every bound inside it, so that it only ever catches a fault.
	 */
	private static final long HANDLING_TIMEOUT_MILLIS = Duration.ofMinutes(5).toMillis();

	private static final Logger log = LoggerFactory.getLogger(BodyReader.class);

	private static final String FORM = "Send the invalid token as {\"access_token\": \"...\"}";

	private final JsonMapper json = JsonMapper
		.builder(JsonFactory.builder()
			.streamReadConstraints(StreamReadConstraints.builder()
				.maxDocumentLength(MAX_BODY)
				.maxStringLength(MAX_BODY)
				.maxNestingDepth(8)
				.build())
			.build())
		.build();

	private final Duration timeout;

	/** Ends the reads that run out of time; it only sets their answer. */
	private final ScheduledExecutorService deadlines = Executors
		.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("report-deadlines-"));

	/** Reports whose body is being read right now. */
	private final AtomicInteger reading = new AtomicInteger();

	BodyReader(TokenProperties properties) {
		this.timeout = properties.reportTimeout();
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("tokman.reports.reading", this.reading, AtomicInteger::get)
			.description("Request bodies still arriving: invalidation reports, revocations, webhook deliveries")
			.register(registry);
	}

	/**
	 * The answer to the report: once its body has arrived, {@code answer} applied to the
	 * token it reports. A body over the limit, malformed, slower than the report timeout
	 * or cut off answers the matching error instead, and {@code answer} is not called.
	 */
	<T> DeferredResult<T> read(HttpServletRequest request, Function<String, T> answer) {
		return read(request, MAX_BODY, (body) -> answer.apply(token(body)));
	}

	/**
	 * The answer to a request with a body of at most {@code limit} bytes: once it has
	 * arrived, {@code answer} applied to it. A body over the limit, slower than the
	 * report timeout or cut off answers the matching error instead, and {@code answer} is
	 * not called.
	 */
	public <T> DeferredResult<T> read(HttpServletRequest request, int limit, Function<byte[], T> answer) {
		if (request.getContentLengthLong() > limit) {
			throw new ReportTooLargeException(limit);
		}
		DeferredResult<T> result = new DeferredResult<>(HANDLING_TIMEOUT_MILLIS);
		// Reading without blocking needs the request in async mode, which Spring MVC
		// starts once this method's caller returns the result: then this runs.
		WebAsyncUtils.getAsyncManager(request)
			.registerDeferredResultInterceptor(BodyReader.class.getName(), new DeferredResultProcessingInterceptor() {

				@Override
				public <R> void preProcess(NativeWebRequest webRequest, DeferredResult<R> deferred) throws IOException {
					ServletInputStream body = request.getInputStream();
					body.setReadListener(new Upload<>(body, limit, result, answer, request.getRequestURI()));
				}

			});
		return result;
	}

	private String token(byte[] body) {
		JsonNode report;
		try {
			report = this.json.readTree(body);
		}
		catch (JacksonException ex) {
			throw new InvalidRequestException(FORM);
		}
		JsonNode token = (report != null) ? report.get("access_token") : null;
		if (token == null || !token.isString() || token.asString().isBlank()) {
			throw new InvalidRequestException(FORM);
		}
		if (token.asString().length() > MAX_TOKEN) {
			throw new InvalidRequestException(
					"The reported token is longer than any GitHub token (" + MAX_TOKEN + " characters at most)");
		}
		return token.asString();
	}

	@Override
	public void destroy() {
		this.deadlines.shutdownNow();
	}

	/**
	 * One body arriving: whichever comes first of its end, its limit, its deadline or an
	 * error sets the answer, once.
	 */
	private final class Upload<T> implements ReadListener {

		private final ServletInputStream in;

		private final DeferredResult<T> result;

		private final Function<byte[], T> answer;

		private final int limit;

		private final String path;

		private final ByteArrayOutputStream body = new ByteArrayOutputStream();

		private final AtomicBoolean over = new AtomicBoolean();

		private final ScheduledFuture<?> deadline;

		Upload(ServletInputStream in, int limit, DeferredResult<T> result, Function<byte[], T> answer, String path) {
			this.in = in;
			this.limit = limit;
			this.result = result;
			this.answer = answer;
			this.path = path;
			BodyReader.this.reading.incrementAndGet();
			this.deadline = BodyReader.this.deadlines.schedule(
					() -> fail(new ReportTooSlowException(BodyReader.this.timeout)), BodyReader.this.timeout.toMillis(),
					TimeUnit.MILLISECONDS);
		}

		@Override
		public void onDataAvailable() throws IOException {
			byte[] buffer = new byte[1024];
			while (!this.over.get() && this.in.isReady()) {
				int read = this.in.read(buffer);
				if (read < 0) {
					return;
				}
				this.body.write(buffer, 0, read);
				if (this.body.size() > this.limit) {
					fail(new ReportTooLargeException(this.limit));
				}
			}
		}

		@Override
		public void onAllDataRead() {
			if (!end()) {
				return;
			}
			try {
				this.result.setResult(this.answer.apply(this.body.toByteArray()));
			}
			catch (RuntimeException ex) {
				this.result.setErrorResult(ex);
			}
		}

		/** The worker went away, or its connection broke, before the body was whole. */
		@Override
		public void onError(Throwable failure) {
			if (end()) {
				log.info("A request body to {} was cut off after {} bytes: the worker's connection closed", this.path,
						this.body.size());
				this.result.setErrorResult(new ReportCutOffException());
			}
		}

		private void fail(RuntimeException failure) {
			if (end()) {
				this.result.setErrorResult(failure);
			}
		}

		/** Whether this call is the one that ends the upload. */
		private boolean end() {
			if (this.over.getAndSet(true)) {
				return false;
			}
			this.deadline.cancel(false);
			BodyReader.this.reading.decrementAndGet();
			return true;
		}

	}

}
