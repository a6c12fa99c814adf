package io.tokman.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.boot.context.properties.ConfigurationPropertiesBindHandlerAdvisor;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.stereotype.Component;

/**
 * Every key under tokman's prefixes must bind to something, however deep: a policy
 * written {@code claim:} for {@code claims:} stops startup naming it. Spring Boot's own
 * check ({@code ignoreUnknownFields = false}) lets through any key below a list element's
 * first property, to allow for list elements that a higher source overrides; here a list
 * counts as overridden only when a source of higher precedence defines it.
 */
@Component
final class StrictBinding implements ConfigurationPropertiesBindHandlerAdvisor {

	@Override
	public BindHandler apply(BindHandler handler) {
		return new Handler(handler);
	}

	/** The check, for a binding made by hand ({@link AppSettings}). */
	static BindHandler handler(BindHandler parent) {
		return new Handler(parent);
	}

	private static final class Handler extends AbstractBindHandler {

		private final Set<ConfigurationPropertyName> bound = new HashSet<>();

		Handler(BindHandler parent) {
			super(parent);
		}

		@Override
		public Object onSuccess(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
				Object result) {
			this.bound.add(name);
			return super.onSuccess(name, target, context, result);
		}

		@Override
		public void onFinish(ConfigurationPropertyName name, Bindable<?> target, BindContext context, Object result)
				throws Exception {
			// Before validation, which would report what the unknown key left unset.
			if (context.getDepth() == 0 && KnownSettings.PREFIXES.contains(name.toString())) {
				check(name, context);
			}
			super.onFinish(name, target, context, result);
		}

		private void check(ConfigurationPropertyName root, BindContext context) {
			List<ConfigurationPropertySource> sources = new ArrayList<>();
			context.getSources().forEach(sources::add);
			Set<ConfigurationProperty> unbound = new TreeSet<>();
			for (ConfigurationPropertySource source : sources) {
				if (!(source instanceof IterableConfigurationPropertySource iterable)) {
					continue;
				}
				iterable.filter(root::isAncestorOf)
					.stream()
					.filter((name) -> !this.bound.contains(name) && !overridden(name, source, sources))
					.forEach((name) -> unbound.add(iterable.getConfigurationProperty(name)));
			}
			if (!unbound.isEmpty()) {
				throw new UnboundConfigurationPropertiesException(unbound);
			}
		}

		/**
		 * Whether the name is an element of a list that a source of higher precedence
		 * defines: lists are taken whole from one source.
		 */
		private static boolean overridden(ConfigurationPropertyName name, ConfigurationPropertySource from,
				List<ConfigurationPropertySource> sources) {
			for (int i = 0; i < name.getNumberOfElements(); i++) {
				if (!name.isNumericIndex(i)) {
					continue;
				}
				ConfigurationPropertyName list = name.chop(i);
				for (ConfigurationPropertySource source : sources) {
					if (source == from) {
						break;
					}
					if (source instanceof IterableConfigurationPropertySource iterable
							&& iterable.filter(list::isAncestorOf).stream().findAny().isPresent()) {
						return true;
					}
				}
			}
			return false;
		}

	}

}
