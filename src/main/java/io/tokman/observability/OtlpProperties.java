package io.tokman.observability;

import java.net.URI;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where traces go, by OpenTelemetry's own name for it.
 *
 * @param endpoint the OTLP/HTTP collector's base URL
 * ({@code OTEL_EXPORTER_OTLP_ENDPOINT}, {@code http://collector:4318}); traces are posted
 * to its {@code /v1/traces}. Unset, no trace is recorded or sent
 */
@ConfigurationProperties("otel.exporter.otlp")
record OtlpProperties(URI endpoint) {

	/** Whether traces are exported at all. */
	boolean exporting() {
		return this.endpoint != null && !this.endpoint.toString().isBlank();
	}

	/** The traces endpoint, as OpenTelemetry derives it from the base URL. */
	String tracesEndpoint() {
		String base = this.endpoint.toString();
		return (base.endsWith("/") ? base : base + "/") + "v1/traces";
	}

	/** Where traces go, without the credentials a URL may carry. */
	@Override
	public String toString() {
		return "OtlpProperties[endpoint=" + ((this.endpoint != null)
				? this.endpoint.getScheme() + "://" + this.endpoint.getHost() + ":" + this.endpoint.getPort() + "/..."
				: "<unset>") + "]";
	}

}
