package io.tokman.token;

import io.tokman.access.AccessSlice;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

/**
 * What {@link TokenController} needs beside the service, which its slice tests mock: the
 * access policy, the audit trail and the report reader, on their settings.
 */
@TestConfiguration(proxyBeanMethods = false)
@EnableConfigurationProperties(TokenProperties.class)
@Import({ AccessSlice.class, TokenAudit.class, ReportReader.class })
class ControllerSlice {

}
