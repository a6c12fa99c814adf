package io.tokman;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parts of the README that tests hold to the code (docs/development.md lists them):
 * its test command, its settings table, and its tables of the token answer's parameters
 * and fields. Each is read here, once, so prose around them can change freely.
 */
public final class Readme {

	private static final Path README = Path.of("README.md");

	private Readme() {
	}

	/** The command the README's first lines give for the tests. */
	public static String testCommand() {
		Matcher command = Pattern.compile("(?m)^(make \\S+)\\s+#.*\\btest").matcher(text());
		assertThat(command.find()).as("the README's first lines name the test command").isTrue();
		return command.group(1);
	}

	/** The settings of the section Configuration, each with its default as written. */
	public static Map<String, String> settings() {
		String readme = text();
		int start = readme.indexOf("\n## Configuration\n");
		assertThat(start).as("the README has a section Configuration").isNotNegative();
		String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
		Matcher row = Pattern.compile("(?m)^\\| `([^`]+)` \\| ([^|]+) \\|").matcher(section);
		Map<String, String> settings = new LinkedHashMap<>();
		while (row.find()) {
			settings.put(row.group(1), row.group(2).strip());
		}
		assertThat(settings).as("the settings table").isNotEmpty();
		return settings;
	}

	/**
	 * The table under this header row: its first column, without backticks, to its
	 * second.
	 */
	public static Map<String, String> table(String header) {
		String readme = text();
		assertThat(readme).as("the README's table %s", header).contains(header);
		Map<String, String> rows = new LinkedHashMap<>();
		String[] lines = readme.substring(readme.indexOf(header)).split("\n");
		for (int i = 2; i < lines.length && lines[i].startsWith("|"); i++) {
			String[] cells = lines[i].split("\\|");
			rows.put(cells[1].trim().replace("`", ""), cells[2].trim());
		}
		assertThat(rows).as(header).isNotEmpty();
		return rows;
	}

	private static String text() {
		try {
			return Files.readString(README);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
