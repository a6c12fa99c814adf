package io.tokman.web;

import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.tokman.config.BuildVersion;
import io.tokman.web.error.ErrorBody;
import io.tokman.web.error.JsonErrorReportValve;
import org.apache.catalina.core.StandardHost;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.tomcat.autoconfigure.TomcatServerProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ContentNegotiationConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Makes every answer JSON, including the ones Tomcat gives before Spring MVC sees a
 * request, and describes the API.
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonErrorsFromTomcat() {
		return (factory) -> factory.addContextCustomizers((context) -> {
			if (context.getParent() instanceof StandardHost host) {
				host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
			}
		});
	}

	@Bean
	RequestLimit requestLimit(ObjectProvider<TomcatServerProperties> tomcat) {
		return new RequestLimit(() -> tomcat.getObject().getThreads().getMax());
	}

	@Bean
	OpenAPI openApi(ObjectProvider<BuildProperties> build) {
		return new OpenAPI().info(new Info().title("tokman")
			.version(BuildVersion.of(build))
			.description("Hands out GitHub App installation tokens, minting each repository's once."));
	}

	/**
	 * Every error an operation documents has the error body, described here once rather
	 * than on each endpoint.
	 */
	@Bean
	OpenApiCustomizer errorBodies() {
		return (openApi) -> {
			ModelConverters.getInstance().read(ErrorBody.class).forEach(openApi.getComponents()::addSchemas);
			Schema<?> reference = new Schema<>().$ref("#/components/schemas/" + ErrorBody.class.getSimpleName());
			openApi.getPaths()
				.values()
				.forEach((path) -> path.readOperations()
					.forEach((operation) -> operation.getResponses().forEach((status, response) -> {
						if (!status.startsWith("2")) {
							response.setContent(new Content().addMediaType(
									org.springframework.http.MediaType.APPLICATION_JSON_VALUE,
									new MediaType().schema(reference)));
						}
					})));
		};
	}

	/** Every answer is JSON, whatever the client's Accept header asks for. */
	@Override
	public void configureContentNegotiation(ContentNegotiationConfigurer configurer) {
		configurer.ignoreAcceptHeader(true).defaultContentType(org.springframework.http.MediaType.APPLICATION_JSON);
	}

}
