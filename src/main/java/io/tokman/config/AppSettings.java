package io.tokman.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The Apps {@code tokman.apps} lists beside the one the original settings name, bound as
 * strictly as tokman's other settings: an unknown key, a missing id, key or owner, or an
 * owner that is no GitHub name stops startup naming the setting.
 *
 * @param apps the Apps, in the order a request's owner is matched against them
 */
public record AppSettings(List<App> apps) {

	static final String PREFIX = "tokman.apps";

	private static final Pattern ID = Pattern.compile("\\d{1,12}|Iv[0-9A-Za-z.]{8,40}");

	/** GitHub's owner names (letters, digits, hyphens), with {@code *} and {@code ?}. */
	private static final Pattern OWNER_GLOB = Pattern.compile("[A-Za-z0-9*?][A-Za-z0-9*?-]{0,38}");

	/** Binds and checks {@code tokman.apps}; none if it is not set. */
	public static AppSettings bind(Environment environment, String primaryAppId) {
		List<App> apps;
		try {
			apps = Binder.get(environment)
				.bind(PREFIX, Bindable.listOf(App.class), StrictBinding.handler(BindHandler.DEFAULT))
				.orElse(List.of());
		}
		catch (BindException ex) {
			throw new InvalidSettingException(
					"Invalid setting " + ex.getName() + ": "
							+ ((ex.getCause() != null) ? ex.getCause().getMessage() : ex.getMessage()),
					"Each entry of tokman.apps has id, private-key, owners and optionally github-api-url, "
							+ "active-key and webhook-secret-file (README, \"Several Apps\").");
		}
		Set<String> ids = new HashSet<>();
		if (primaryAppId != null) {
			ids.add(primaryAppId);
		}
		for (int i = 0; i < apps.size(); i++) {
			App app = apps.get(i);
			String name = PREFIX + "[" + i + "]";
			if (app.id() == null || !ID.matcher(app.id()).matches()) {
				throw invalid(name + ".id", "is '" + app.id() + "'; expected the App's numeric ID or its client ID");
			}
			if (!ids.add(app.id())) {
				throw invalid(name + ".id", "is " + app.id() + ", an App already listed or named by GITHUB_APP_ID");
			}
			if (app.privateKey() == null) {
				throw invalid(name + ".private-key", "must be set: the App's PEM key, or a folder of its keys");
			}
			if (app.owners() == null || app.owners().isEmpty()) {
				throw invalid(name + ".owners", "must list the owners the App serves (globs: packit, tenant-*)");
			}
			for (String owner : app.owners()) {
				if (!OWNER_GLOB.matcher(owner).matches()) {
					throw invalid(name + ".owners",
							"has '" + owner + "'; expected a GitHub owner name, with * or ? as wildcards");
				}
			}
		}
		return new AppSettings(List.copyOf(apps));
	}

	private static InvalidSettingException invalid(String setting, String problem) {
		return new InvalidSettingException(setting + " " + problem,
				"Fix the entry in tokman.apps (README, \"Several Apps\").");
	}

	/**
	 * One App.
	 *
	 * @param id the App's numeric ID or client ID, the JWT's {@code iss}
	 * @param privateKey its PEM key, or a folder of its {@code private-key*.pem} keys,
	 * read as {@code GITHUB_APP_PRIVATE_KEY} is
	 * @param owners globs of the owners it serves, case-insensitive: {@code packit},
	 * {@code tenant-*}
	 * @param githubApiUrl its GitHub's API; unset, {@code GITHUB_API_URL}
	 * @param activeKey the key to sign with, by file name or fingerprint; unset, the
	 * newest
	 * @param webhookSecretFile a file holding its webhook secret, read as
	 * {@code GITHUB_WEBHOOK_SECRET_FILE} is; unset, its deliveries are refused
	 */
	public record App(String id, Path privateKey, List<String> owners, URI githubApiUrl, String activeKey,
			Path webhookSecretFile) {

	}

}
