package io.tokman.observability;

import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.micrometer.tracing.autoconfigure.TracingProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Traces of each request, with a span per GitHub call, exported over OTLP/HTTP when
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} is set. Decided here, at run time, rather than by
 * Spring Boot's conditions on its own properties, which Spring's AOT mode (the image's)
 * fixes when the jar is built.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OtlpProperties.class)
class TracingConfiguration {

	/**
	 * Spring Boot's tracer while exporting; otherwise one that makes no span at all: a
	 * span that is not recorded still cost a cache hit a tenth of its throughput.
	 */
	@Bean
	Tracer micrometerOtelTracer(OtlpProperties otlp, io.opentelemetry.api.trace.Tracer tracer,
			OtelTracer.EventPublisher publisher, OtelCurrentTraceContext context, TracingProperties tracing) {
		if (!otlp.exporting()) {
			return Tracer.NOOP;
		}
		return new OtelTracer(tracer, context, publisher, new OtelBaggageManager(context,
				tracing.getBaggage().getRemoteFields(), tracing.getBaggage().getTagFields()));
	}

	/**
	 * Spring Boot's propagator while exporting; otherwise none, which reads no header.
	 */
	@Bean
	Propagator otelPropagator(OtlpProperties otlp, ContextPropagators propagators,
			io.opentelemetry.api.trace.Tracer tracer) {
		return otlp.exporting() ? new OtelPropagator(propagators, tracer) : Propagator.NOOP;
	}

	/** Every request ({@code management.tracing.sampling.probability}, 1.0). */
	@Bean
	Sampler otelSampler(TracingProperties tracing) {
		return Sampler.parentBased(Sampler.traceIdRatioBased(tracing.getSampling().getProbability()));
	}

	@Bean
	SpanExporter otlpSpanExporter(OtlpProperties otlp) {
		return otlp.exporting() ? OtlpHttpSpanExporter.builder().setEndpoint(otlp.tracesEndpoint()).build()
				: SpanExporter.composite();
	}

}
