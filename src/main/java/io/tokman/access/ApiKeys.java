package io.tokman.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tokman.config.InvalidSettingException;
import io.tokman.github.Permissions;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;

/**
 * The clients that may ask for tokens, each known by a name and the SHA-256 digest of its
 * API key. A key is compared with every client's digest, in constant time, so timing
 * tells nothing about the keys.
 *
 * <p>
 * {@code TOKMAN_API_KEYS} holds keys, comma-separated; each gets the name
 * {@code api-key-N}. {@code TOKMAN_API_KEYS_FILE} holds one client a line:
 * {@code name:sha256:<hex digest>}, so that the file need not hold a usable key, or
 * {@code name:key}, or a bare key (named {@code file-key-N}); {@code #} starts a comment.
 * After a named client's key, space-separated globs limit what it may ask for
 * ({@link Grant}): {@code packit-worker:sha256:<hex> packit/* rpms/*}, and
 * {@code permissions=contents:read,pull_requests:write} caps what its tokens may do;
 * {@code role=admin} makes it an admin, which may revoke tokens and asks for no token
 * unless globs follow too. A line is a bare key only if it has no {@code :} and no white
 * space; any other line that is not a named client stops startup with its number, so that
 * a mistyped line never becomes a key for every repository. Names and keys are each used
 * once.
 */
final class ApiKeys implements AuthenticationProvider {

	/**
	 * Never updated, only copied: each request digests its key with a copy, as looking
	 * SHA-256 up among the security providers cost a request ten times the digest itself.
	 */
	private static final MessageDigest SHA_256 = sha256();

	private static final Pattern NAMED = Pattern
		.compile("([A-Za-z0-9._-]{1,64}):(?:sha256:([0-9a-fA-F]{64})|(?!sha256:)(\\S+))(?:\\s+(.+))?");

	private static final Pattern BARE = Pattern.compile("[^:\\s]+");

	private static final String FORMS = "Write each client as name:sha256:<64 hex digits of its key's SHA-256>, "
			+ "name:key or a bare key (no ':' or spaces), then optionally repository globs, permissions=... and role=admin; "
			+ "names are letters, digits, '.', '_' and '-'.";

	private final List<Key> clients;

	ApiKeys(AccessProperties properties) {
		List<Key> clients = new ArrayList<>();
		for (String key : properties.apiKeys()) {
			if (!key.isBlank()) {
				clients.add(new Key(new Client("api-key-" + (clients.size() + 1), Grant.ALL), digest(key.trim())));
			}
		}
		if (!properties.apiKeysFile().isBlank()) {
			Path file = Path.of(properties.apiKeysFile());
			List<Key> read = read(file);
			if (read.isEmpty()) {
				throw new InvalidSettingException(
						"TOKMAN_API_KEYS_FILE: " + file.toAbsolutePath() + " holds no API key",
						"Add a client a line (name:sha256:<hex digest of its key>, or name:key), or unset "
								+ "TOKMAN_API_KEYS_FILE to turn authentication off.");
			}
			clients.addAll(read);
		}
		this.clients = List.copyOf(clients);
	}

	/** Whether clients must authenticate: whether any key is configured. */
	boolean enabled() {
		return !this.clients.isEmpty();
	}

	int size() {
		return this.clients.size();
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		byte[] digest = digest((String) authentication.getCredentials());
		Client found = null;
		for (Key key : this.clients) {
			// Every digest is compared, whichever matches.
			if (MessageDigest.isEqual(key.digest(), digest)) {
				found = key.client();
			}
		}
		if (found == null) {
			throw new BadCredentialsException("Unknown API key");
		}
		return new ClientAuthentication(found);
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return ApiKeyAuthentication.class.isAssignableFrom(authentication);
	}

	private static List<Key> read(Path file) {
		List<String> lines;
		try {
			lines = Files.readAllLines(file, StandardCharsets.UTF_8);
		}
		catch (IOException | RuntimeException ex) {
			throw new InvalidSettingException("TOKMAN_API_KEYS_FILE: cannot read " + file.toAbsolutePath(),
					"Point TOKMAN_API_KEYS_FILE at a readable file with one client a line, or unset it.");
		}
		List<Key> clients = new ArrayList<>();
		for (int number = 1; number <= lines.size(); number++) {
			String entry = lines.get(number - 1).trim();
			if (entry.isEmpty() || entry.startsWith("#")) {
				continue;
			}
			Key key = parse(file, number, entry, clients.size() + 1);
			for (Key known : clients) {
				if (known.client().name().equals(key.client().name())
						|| MessageDigest.isEqual(known.digest(), key.digest())) {
					// The line itself is never printed: it may hold a key.
					throw invalid(file, number,
							(known.client().name().equals(key.client().name()))
									? "names the client " + key.client().name() + " again"
									: "repeats the key of client " + known.client().name());
				}
			}
			clients.add(key);
		}
		return clients;
	}

	private static Key parse(Path file, int number, String entry, int position) {
		if (BARE.matcher(entry).matches()) {
			return new Key(new Client("file-key-" + position, Grant.ALL), digest(entry));
		}
		Matcher named = NAMED.matcher(entry);
		if (!named.matches()) {
			throw invalid(file, number, "is not a client");
		}
		List<String> words = new ArrayList<>(
				(named.group(4) != null) ? List.of(named.group(4).trim().split("\\s+")) : List.of());
		boolean admin = words.remove("role=admin");
		words.remove("role=worker");
		if (words.stream().anyMatch((word) -> word.startsWith("role="))) {
			throw invalid(file, number, "has a role other than role=admin or role=worker");
		}
		Grant grant;
		try {
			grant = !words.isEmpty() ? grant(named.group(1), words) : admin ? Grant.NONE : Grant.ALL;
		}
		catch (InvalidSettingException ex) {
			throw invalid(file, number, ex.getMessage());
		}
		return new Key(new Client(named.group(1), grant, admin),
				(named.group(2) != null) ? HexFormat.of().parseHex(named.group(2)) : digest(named.group(3)));
	}

	private static InvalidSettingException invalid(Path file, int line, String problem) {
		return new InvalidSettingException(
				"TOKMAN_API_KEYS_FILE: line " + line + " of " + file.toAbsolutePath() + " " + problem, FORMS);
	}

	/** Each client by name with what it may ask for, never its key. */
	List<String> describe() {
		return this.clients.stream()
			.map((key) -> key.client().name() + (key.client().admin() ? " (admin)" : "") + ": " + key.client().grant())
			.toList();
	}

	/**
	 * The globs after a client's key, and {@code permissions=contents:read,...}, its
	 * ceiling; only a ceiling means every repository.
	 */
	private static Grant grant(String client, List<String> words) {
		List<String> globs = new ArrayList<>();
		Permissions ceiling = Permissions.INSTALLATION;
		for (String word : words) {
			if (word.startsWith("permissions=")) {
				ceiling = Grant.ceiling(client, word.substring("permissions=".length()));
			}
			else {
				globs.add(word);
			}
		}
		return new Grant(globs.isEmpty() ? Grant.ALL.globs() : globs, ceiling);
	}

	static byte[] digest(String key) {
		try {
			return ((MessageDigest) SHA_256.clone()).digest(key.getBytes(StandardCharsets.UTF_8));
		}
		catch (CloneNotSupportedException ex) {
			throw new IllegalStateException("The JDK's SHA-256 can be cloned", ex);
		}
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java runtime has SHA-256", ex);
		}
	}

	@Override
	public String toString() {
		return "ApiKeys[" + this.clients.size() + " clients]";
	}

	/** A client and its key's digest; never the key. */
	private record Key(Client client, byte[] digest) {

		@Override
		public String toString() {
			return "Key[" + this.client.name() + "]";
		}

	}

}
