package io.tokman.token;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import io.tokman.github.Permissions;
import io.tokman.github.RepositoryName;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an admin revokes: exactly one of a repository's tokens ({@code {"repository":
 * "owner/name"}}, optionally only those with {@code "permissions"}), an owner's
 * ({@code {"owner": "name"}}), those handed to a client lately ({@code {"client":
 * "name"}}), or the token whose SHA-256 starts with a hex prefix of 8 or more, as the
 * audit trail prints it ({@code {"token_sha256": "..."}}). Anything else, an unknown
 * field included, is refused: a mistyped selector never revokes more, or less, than
 * asked.
 *
 * @param owner the owner, of the repository or on its own
 * @param repository the repository's name; null for all of the owner's
 * @param permissions only tokens asked for with these; null for any
 * @param client the client's name
 * @param tokenSha256 the prefix of the token's SHA-256, lower case
 */
record Selector(String owner, String repository, String permissions, String client, String tokenSha256) {

	private static final Pattern HEX = Pattern.compile("[0-9a-f]{8,64}");

	private static final Pattern CLIENT = Pattern.compile("[A-Za-z0-9._:@/+%-]{1,200}");

	private static final String FORM = "Send one of {\"repository\": \"owner/name\"} (optionally with \"permissions\"), "
			+ "{\"owner\": \"name\"}, {\"client\": \"name\"} or {\"token_sha256\": \"<8 to 64 hex digits>\"}";

	private static final List<String> FIELDS = List.of("repository", "owner", "client", "token_sha256");

	static Selector parse(JsonMapper json, byte[] body) {
		JsonNode request;
		try {
			request = json.readTree(body);
		}
		catch (JacksonException ex) {
			throw new InvalidRequestException(FORM);
		}
		if (request == null || !request.isObject()) {
			throw new InvalidRequestException(FORM);
		}
		Set<String> given = new HashSet<>(request.propertyNames());
		given.remove("permissions");
		if (given.size() != 1 || !FIELDS.containsAll(given)
				|| request.properties().stream().anyMatch((field) -> !field.getValue().isString())) {
			throw new InvalidRequestException(FORM);
		}
		String field = given.iterator().next();
		String value = request.get(field).asString().trim();
		String permissions = request.has("permissions") ? request.get("permissions").asString() : null;
		if (permissions != null && !field.equals("repository")) {
			throw new InvalidRequestException("\"permissions\" narrows a \"repository\" selector only. " + FORM);
		}
		return switch (field) {
			case "repository" -> repository(value, permissions);
			case "owner" -> {
				RepositoryName.checkOwner(value);
				yield new Selector(value, null, null, null, null);
			}
			case "client" -> {
				if (!CLIENT.matcher(value).matches()) {
					throw new InvalidRequestException("Invalid client: a client's name as the audit trail prints it");
				}
				yield new Selector(null, null, null, value, null);
			}
			default -> {
				String hex = value.toLowerCase(Locale.ROOT);
				if (!HEX.matcher(hex).matches()) {
					throw new InvalidRequestException(
							"Invalid token_sha256: 8 to 64 hex digits of the token's SHA-256, as the audit trail prints it");
				}
				yield new Selector(null, null, null, null, hex);
			}
		};
	}

	private static Selector repository(String value, String permissions) {
		String[] parts = value.split("/", -1);
		if (parts.length != 2) {
			throw new InvalidRequestException("Invalid repository: give it as owner/name");
		}
		RepositoryName name = new RepositoryName(parts[0], parts[1]);
		if (permissions != null) {
			Permissions.parse(permissions);
		}
		return new Selector(name.namespace(), name.repository(), permissions, null, null);
	}

}
