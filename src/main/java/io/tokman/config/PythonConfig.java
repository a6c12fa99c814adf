package io.tokman.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The original tokman's {@code TOKMAN_CONFIG}: a Python file of assignments that Flask
 * read ({@code SQLALCHEMY_DATABASE_URI = "sqlite:////tokman/access_tokens.db"}). Simple
 * assignments of strings, numbers and booleans are taken as the original names they set;
 * anything else (an import, an expression, a name tokman does not know) stops startup
 * naming the line, rather than run Python or guess.
 */
final class PythonConfig {

	private static final Pattern ASSIGNMENT = Pattern.compile("([A-Z][A-Z0-9_]*)\\s*=\\s*(.*?)\\s*(#.*)?");

	private static final Pattern STRING = Pattern.compile("\"([^\"\\\\]*)\"|'([^'\\\\]*)'");

	private static final Pattern NUMBER = Pattern.compile("-?\\d+");

	/** Flask-SQLAlchemy's name for the database, tokman's DB_URI. */
	private static final Map<String, String> RENAMED = Map.of("SQLALCHEMY_DATABASE_URI", "DB_URI");

	/** Flask-SQLAlchemy's switch, meaningless to tokman. */
	private static final String IGNORED = "SQLALCHEMY_TRACK_MODIFICATIONS";

	private PythonConfig() {
	}

	/** Whether the text reads as the original's Python file rather than YAML. */
	static boolean looksLikePython(String name, String text) {
		return name.endsWith(".py") || text.lines().anyMatch((line) -> line.matches("[A-Z][A-Z0-9_]*\\s*=.*"));
	}

	/** The settings the file assigns, by tokman's original names. */
	static Map<String, Object> read(String file, String text, Set<String> originalNames) {
		Map<String, Object> settings = new LinkedHashMap<>();
		List<String> lines = text.lines().toList();
		for (int i = 0; i < lines.size(); i++) {
			String line = lines.get(i).strip();
			if (line.isEmpty() || line.startsWith("#")) {
				continue;
			}
			Matcher assignment = ASSIGNMENT.matcher(line);
			if (!assignment.matches()) {
				throw unreadable(file, i + 1, "is not a simple assignment");
			}
			String name = RENAMED.getOrDefault(assignment.group(1), assignment.group(1));
			if (assignment.group(1).equals(IGNORED)) {
				continue;
			}
			if (!originalNames.contains(name)) {
				throw unreadable(file, i + 1, "sets " + assignment.group(1) + ", which tokman does not know");
			}
			Object value = literal(assignment.group(2));
			if (value == null) {
				throw unreadable(file, i + 1, "assigns " + assignment.group(2) + ", not a string, number or boolean");
			}
			settings.put(name, value);
		}
		return settings;
	}

	private static Object literal(String text) {
		Matcher string = STRING.matcher(text);
		if (string.matches()) {
			return (string.group(1) != null) ? string.group(1) : string.group(2);
		}
		if (NUMBER.matcher(text).matches()) {
			return text;
		}
		return switch (text) {
			case "True" -> "true";
			case "False" -> "false";
			default -> null;
		};
	}

	private static InvalidSettingException unreadable(String file, int line, String problem) {
		return new InvalidSettingException(
				"TOKMAN_CONFIG: " + file + " reads as the original tokman's Python config, and its line " + line + " "
						+ problem,
				"tokman reads simple assignments of the original's settings (SQLALCHEMY_DATABASE_URI, GITHUB_APP_ID, "
						+ "GITHUB_APP_PRIVATE_KEY, TOKEN_RENEW_AT, SENTRY_SECRET, DEPLOYMENT, and the names of the "
						+ "README's configuration table). Better, write a YAML file instead: DB_URI: sqlite:////path.db, "
						+ "GITHUB_APP_ID: 12345, GITHUB_APP_PRIVATE_KEY: /secrets/private-key.pem, as "
						+ "application.yml.example shows.");
	}

}
