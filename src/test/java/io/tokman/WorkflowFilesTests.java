package io.tokman;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static io.tokman.KubernetesManifestsIT.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The files under .github: CI runs the README's test command, actions are pinned, the
 * image is pushed from main and tags only, Dependabot watches what they name.
 */
class WorkflowFilesTests {

	private static final Path WORKFLOWS = Path.of(".github/workflows");

	/** A step's action: owner/repository[/path]@ a full commit SHA. */
	private static final Pattern PINNED = Pattern.compile("[\\w.-]+/[\\w./-]+@[0-9a-f]{40}");

	@Test
	void theCiWorkflowRunsTheReadmesTestCommandOnPushesAndPullRequests() throws IOException {
		String testCommand = Readme.testCommand();
		assertThat(testCommand).isEqualTo("make check");
		Map<String, Object> ci = workflow("ci.yml");
		assertThat(triggers(ci)).containsKeys("push", "pull_request");
		List<String> runs = jobs(ci).values()
			.stream()
			.flatMap((job) -> steps(job).stream())
			.map((step) -> (String) step.get("run"))
			.filter((run) -> run != null)
			.flatMap(String::lines)
			.map(String::strip)
			.toList();
		assertThat(runs).contains(testCommand);
	}

	@Test
	void theCiJobHasWhatTheSlowTestsNeedSoThatNoneIsSkipped() throws IOException {
		Map<String, Object> job = jobs(workflow("ci.yml")).get("check");
		Map<String, Object> environment = map(job.get("env"));
		assertThat(environment).containsEntry("TOKMAN_REQUIRE_BROWSER", "1")
			.containsEntry("TOKMAN_REQUIRE_POSTGRES", "1")
			.containsEntry("TOKMAN_REQUIRE_KUBECTL", "1")
			.containsEntry("TOKMAN_REQUIRE_GIT", "1");
		assertThat((String) environment.get("TOKMAN_TEST_POSTGRES_URL"))
			.startsWith("jdbc:postgresql://127.0.0.1:5432/");
		assertThat(map(job.get("services"))).containsKey("postgres");
		assertThat(steps(job)).anyMatch((step) -> String.valueOf(step.get("uses")).startsWith("actions/setup-java@")
				&& "25".equals(String.valueOf(map(step.get("with")).get("java-version"))));
	}

	@Test
	void everyActionIsPinnedToAFullCommitSha() throws IOException {
		try (Stream<Path> files = Files.list(WORKFLOWS)) {
			List<String> uses = files.sorted()
				.flatMap((file) -> jobs(load(file)).values().stream())
				.flatMap((job) -> steps(job).stream())
				.map((step) -> (String) step.get("uses"))
				.filter((action) -> action != null)
				.toList();
			assertThat(uses).isNotEmpty().allMatch((action) -> PINNED.matcher(action).matches());
		}
	}

	@Test
	void theImageIsPushedFromMainAndTagsAndNotFromForks() throws IOException {
		Map<String, Object> image = workflow("image.yml");
		Map<String, Object> push = map(triggers(image).get("push"));
		assertThat(push.get("branches")).isEqualTo(List.of("main"));
		assertThat(push).containsKey("tags");
		assertThat(triggers(image)).doesNotContainKey("pull_request");
		Map<String, Object> job = jobs(image).get("push");
		assertThat(String.valueOf(job.get("if"))).contains("!github.event.repository.fork");
		assertThat(steps(job))
			.anyMatch((step) -> String.valueOf(step.get("uses")).startsWith("docker/build-push-action@")
					&& "runtime".equals(map(step.get("with")).get("target")));
	}

	@Test
	void dependabotWatchesMavenTheDockerfileAndTheActions() throws IOException {
		Map<String, Object> dependabot = load(Path.of(".github/dependabot.yml"));
		List<Object> ecosystems = ((List<?>) dependabot.get("updates")).stream()
			.map((update) -> map(update).get("package-ecosystem"))
			.map(Object.class::cast)
			.toList();
		assertThat(ecosystems).containsExactlyInAnyOrder("maven", "docker", "github-actions");
	}

	private static Map<String, Object> workflow(String name) {
		return load(WORKFLOWS.resolve(name));
	}

	private static Map<String, Object> load(Path file) {
		try {
			return new Yaml().load(Files.readString(file));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * YAML 1.1 (SnakeYAML) reads a bare {@code on:} key as {@code true}; GitHub as "on".
	 */
	private static Map<String, Object> triggers(Map<String, Object> workflow) {
		Object on = workflow.containsKey("on") ? workflow.get("on") : ((Map<?, ?>) workflow).get(Boolean.TRUE);
		return map(on);
	}

	private static Map<String, Map<String, Object>> jobs(Map<String, Object> workflow) {
		@SuppressWarnings("unchecked")
		Map<String, Map<String, Object>> jobs = (Map<String, Map<String, Object>>) workflow.get("jobs");
		return jobs;
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> steps(Map<String, Object> job) {
		return (List<Map<String, Object>>) job.get("steps");
	}

}
