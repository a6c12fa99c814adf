package io.tokman.github;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokman.config.InvalidSettingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The App's private keys: the one file {@code private-key} names, or every
 * {@code private-key*.pem} in the directory it names. tokman signs with one: the key
 * named active, else the newest file; when GitHub rejects a JWT, the client tries each
 * other key once and keeps signing with the one GitHub takes ({@link #worked}).
 *
 * <p>
 * {@link #reload} reads the files again when they change ({@link KeyFiles}), so adding
 * and removing keys needs no restart. A file that does not parse is reported (a log line,
 * {@code tokman.github.app.key.files.invalid}) and never replaces the key read from it
 * before; if no usable key is left, the ones held are kept.
 */
public final class AppKeys {

	private static final Logger log = LoggerFactory.getLogger(AppKeys.class);

	private final Path source;

	private final String active;

	private final String app;

	private final MeterRegistry registry;

	private final MultiGauge inUse;

	private final KeyFiles files;

	private volatile List<AppKey> keys = List.of();

	/** The key GitHub took after rejecting the one chosen; null to choose again. */
	private volatile AppKey preferred;

	private volatile int invalid;

	/** The last secrets derived, and from what. */
	private volatile Derived derived;

	private AppKeys(Path source, String active, String app, MeterRegistry registry) {
		this.source = source;
		this.files = new KeyFiles(source);
		this.active = (active == null || active.isBlank()) ? null : active.strip();
		this.app = app;
		this.registry = registry;
		this.inUse = MultiGauge.builder("tokman.github.app.key.in.use")
			.description("1 for the App key tokman signs its JWT with, 0 for the other keys it holds")
			.register(registry);
		Gauge.builder("tokman.github.app.keys", this, (ring) -> ring.keys.size())
			.description("The App's private keys tokman holds")
			.tag("app", app)
			.register(registry);
		Gauge.builder("tokman.github.app.key.files.invalid", this, (ring) -> ring.invalid)
			.description("Key files that could not be read at the last check; the keys read before are kept")
			.tag("app", app)
			.register(registry);
	}

	/**
	 * Reads the keys, or fails naming the setting, if none is usable or the one named
	 * active is not among them.
	 */
	static AppKeys read(Path source, String active, String app, MeterRegistry registry) {
		AppKeys ring = new AppKeys(source, active, app, registry);
		ring.reload();
		if (ring.keys.isEmpty()) {
			if (!Files.isDirectory(source)) {
				AppKey.read(source);
			}
			throw new InvalidSettingException(
					"GITHUB_APP_PRIVATE_KEY: no usable private-key*.pem file in " + source.toAbsolutePath(),
					"Put the PEM private key generated in the GitHub App's settings there as private-key.pem, or "
							+ "point GITHUB_APP_PRIVATE_KEY (or SECRETS_DIR) at the file or the folder holding it.");
		}
		if (ring.active != null && ring.named(ring.active) == null) {
			throw new InvalidSettingException(
					"tokman.github.active-key: no key in " + source.toAbsolutePath() + " is '" + ring.active + "'",
					"Name a private-key*.pem file there, or a key's SHA256: fingerprint, or unset it to sign with "
							+ "the newest key.");
		}
		return ring;
	}

	/** One key, never read again: for tests and tools. */
	static AppKeys of(RSAPrivateKey key) {
		AppKeys ring = new AppKeys(Path.of("private-key.pem"), null, "app", new SimpleMeterRegistry());
		ring.keys = List.of(AppKey.of(key, null));
		return ring;
	}

	/** Checks the key files for changes this often, from now on; never for 0. */
	void watch(Duration interval) {
		this.files.watch(interval, this::reload);
	}

	void close() {
		this.files.close();
	}

	/** The key to sign with now. */
	AppKey signing() {
		List<AppKey> held = this.keys;
		AppKey preferred = this.preferred;
		if (preferred != null && held.contains(preferred)) {
			return preferred;
		}
		AppKey named = (this.active != null) ? named(this.active) : null;
		return (named != null) ? named : held.get(0);
	}

	/**
	 * A secret of the length given derived from each key held, the signing key's first,
	 * with HKDF-SHA256 ({@code purpose} as its info): keys for other uses that whoever
	 * holds the App's key could derive too, and that leave no trace of the key itself.
	 * The same list while the keys are the same: its arrays are not to be changed.
	 */
	public List<byte[]> derive(String purpose, int length) {
		List<AppKey> held = this.keys;
		AppKey signing = signing();
		Derived last = this.derived;
		if (last != null && last.from() == held && last.signing().equals(signing) && last.purpose().equals(purpose)
				&& last.secrets().get(0).length == length) {
			return last.secrets();
		}
		List<byte[]> secrets = Stream.concat(Stream.of(signing), held.stream().filter((key) -> !key.equals(signing)))
			.map((key) -> key.derive(purpose, length))
			.toList();
		this.derived = new Derived(purpose, held, signing, secrets);
		return secrets;
	}

	/** The keys other than this one, newest first: those to try when it is rejected. */
	List<AppKey> others(AppKey rejected) {
		return this.keys.stream().filter((key) -> !key.equals(rejected)).toList();
	}

	List<AppKey> all() {
		return this.keys;
	}

	/** GitHub rejected a JWT signed with this key. */
	void rejected(AppKey key) {
		Counter.builder("tokman.github.jwt.rejections")
			.description("App JWTs GitHub rejected, by the key that signed them")
			.tags("app", this.app, "key", key.fingerprint())
			.register(this.registry)
			.increment();
	}

	/** GitHub took a JWT signed with this key after rejecting one signed with another. */
	void worked(AppKey key, AppKey rejected) {
		this.preferred = key;
		log.warn("GitHub rejected the App JWT signed with key {}; it took key {}, which tokman signs with from now on",
				rejected.describe(), key.describe());
		report();
	}

	/**
	 * Reads the key files again if any changed; a file that does not parse keeps the key
	 * read from it before, and no usable key at all keeps every key held.
	 */
	synchronized void reload() {
		KeyFiles.Reading reading = this.files.read();
		this.invalid = reading.invalid();
		List<AppKey> keys = reading.keys();
		List<AppKey> before = this.keys;
		if (keys.isEmpty()) {
			if (!before.isEmpty() && reading.changed()) {
				log.error("No usable App key in {}; tokman keeps signing with the {} key(s) it read before",
						this.source.toAbsolutePath(), before.size());
			}
			return;
		}
		this.keys = keys;
		if (!before.equals(keys)) {
			keys.stream()
				.filter((key) -> !before.contains(key))
				.forEach((key) -> log.info("App key {} added", key.describe()));
			before.stream()
				.filter((key) -> !keys.contains(key))
				.forEach((key) -> log.info("App key {} removed", key.describe()));
			// A new key may be the one to sign with: chosen afresh.
			this.preferred = null;
			log.info("tokman signs the App JWT with key {}, of the {} it holds", signing().describe(), keys.size());
			report();
		}
	}

	private void report() {
		AppKey signing = signing();
		this.inUse.register(this.keys.stream()
			.map((key) -> MultiGauge.Row.of(Tags.of("app", this.app, "key", key.fingerprint()),
					key.equals(signing) ? 1 : 0))
			.toList(), true);
	}

	/** The key whose file name or fingerprint this is, if held. */
	private AppKey named(String name) {
		return this.keys.stream()
			.filter((key) -> key.fingerprint().equals(name)
					|| (key.file() != null && key.file().getFileName().toString().equals(name)))
			.findFirst()
			.orElse(null);
	}

	@Override
	public String toString() {
		return "AppKeys[" + this.source + ", " + this.keys + "]";
	}

	private record Derived(String purpose, List<AppKey> from, AppKey signing, List<byte[]> secrets) {

	}

}
