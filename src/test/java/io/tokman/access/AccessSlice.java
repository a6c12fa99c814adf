package io.tokman.access;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

/** The access policy on its settings, for slice tests of other packages. */
@TestConfiguration(proxyBeanMethods = false)
@EnableConfigurationProperties(AccessProperties.class)
@Import(AccessPolicy.class)
public class AccessSlice {

}
