package io.tokman;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/kubernetes, rendered by {@code kubectl kustomize} as {@code kubectl apply -k}
 * would, held to the service: each overlay renders to a Deployment whose ports, probe
 * paths, settings and writable paths are the ones tokman reads and serves, and tokman
 * started with the manifest's environment answers the probes.
 */
class KubernetesManifestsIT {

	private static final Path KUBERNETES = Path.of("deploy/kubernetes");

	private static final Path SQLITE = KUBERNETES.resolve("overlays/sqlite");

	private static final Path POSTGRESQL = KUBERNETES.resolve("overlays/postgresql");

	private final OkHttpClient http = new OkHttpClient();

	@StartStop
	private final MockWebServer github = new MockWebServer();

	@Test
	void theSqliteOverlayRunsOneReplicaReplacedNotRolledOnItsVolume() {
		List<Map<String, Object>> resources = render(SQLITE);
		Map<String, Object> spec = map(find(resources, "Deployment", "tokman").get("spec"));
		assertThat(spec.get("replicas")).isEqualTo(1);
		assertThat(map(spec.get("strategy"))).containsEntry("type", "Recreate");
		Map<String, Object> data = volume(resources, "data");
		assertThat(data).containsOnlyKeys("name", "persistentVolumeClaim");
		String claim = (String) map(data.get("persistentVolumeClaim")).get("claimName");
		find(resources, "PersistentVolumeClaim", claim);
		assertThat(environment(resources).get("DB_URI"))
			.startsWith("jdbc:sqlite:" + mountPath(resources, "data") + "/");
	}

	@Test
	void thePostgresqlOverlayRunsSeveralReplicasOnTheDatabaseItsSecretNames() {
		List<Map<String, Object>> resources = render(POSTGRESQL);
		Map<String, Object> spec = map(find(resources, "Deployment", "tokman").get("spec"));
		assertThat((Integer) spec.get("replicas")).isGreaterThan(1);
		assertThat(map(spec.get("strategy"))).containsEntry("type", "RollingUpdate");
		Map<String, Map<String, Object>> env = envEntries(resources);
		for (String name : List.of("DB_URI", "DB_USER", "DB_PASSWORD")) {
			assertThat(env.get(name)).as(name).containsOnlyKeys("name", "valueFrom");
			assertThat(map(map(env.get(name).get("valueFrom")).get("secretKeyRef"))).containsEntry("name",
					"tokman-database");
		}
	}

	@Test
	void everyOverlayRendersWellFormedResourcesWhoseSelectorsFindThePods() {
		for (Path overlay : List.of(SQLITE, POSTGRESQL)) {
			List<Map<String, Object>> resources = render(overlay);
			Map<String, Object> labels = podLabels(resources);
			assertThat(labels).as(overlay.toString()).isNotEmpty();
			Map<String, Object> deployment = map(find(resources, "Deployment", "tokman").get("spec"));
			assertThat(map(deployment.get("selector")).get("matchLabels")).isEqualTo(labels);
			assertThat(map(spec(resources, "Service").get("selector"))).isEqualTo(labels);
			assertThat(map(spec(resources, "PodDisruptionBudget").get("selector")).get("matchLabels"))
				.isEqualTo(labels);
			for (Map<String, Object> entry : envEntries(resources).values()) {
				assertThat(entry.containsKey("value") ^ entry.containsKey("valueFrom"))
					.as("%s in %s has one of value and valueFrom", entry.get("name"), overlay)
					.isTrue();
			}
			for (Object volume : (List<?>) pod(resources).get("volumes")) {
				assertThat(map(volume).keySet()).as("volume %s in %s", map(volume).get("name"), overlay).hasSize(2);
			}
			String config = (String) map(
					map(((List<?>) container(resources).get("envFrom")).get(0)).get("configMapRef"))
				.get("name");
			find(resources, "ConfigMap", config);
		}
	}

	@Test
	void portsAndProbePathsAreTheOnesTokmanListensOnAndServes() throws IOException {
		List<Map<String, Object>> resources = render(SQLITE);
		Map<String, Object> container = container(resources);
		Map<String, Object> port = map(((List<?>) container.get("ports")).get(0));
		// Where tokman in the image listens: BIND_ADDR of env, else the ConfigMap's, else
		// the image's defaults file.
		Object bind = environment(resources).getOrDefault("BIND_ADDR",
				String.valueOf(map(settings(resources).get("data")).getOrDefault("BIND_ADDR",
						new Yaml()
							.<Map<String, Object>>load(Files.readString(Path.of("deploy/container/application.yml")))
							.get("BIND_ADDR"))));
		assertThat(port.get("containerPort")).isEqualTo(Integer.parseInt(bind.toString().replaceFirst(".*:", "")));
		assertThat(bind.toString()).startsWith("0.0.0.0:");
		for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
			assertThat(map(map(container.get(probe)).get("httpGet"))).as(probe).containsEntry("port", port.get("name"));
		}
		assertThat(probePaths(container)).containsExactly("/actuator/health/liveness", "/actuator/health/readiness");
		Map<String, Object> servicePort = map(((List<?>) spec(resources, "Service").get("ports")).get(0));
		assertThat(servicePort).containsEntry("targetPort", port.get("name"));

		List<Map<String, Object>> monitored = render(KUBERNETES.resolve("components/servicemonitor"));
		Map<String, Object> monitor = map(find(monitored, "ServiceMonitor", "tokman").get("spec"));
		Map<String, Object> endpoint = map(((List<?>) monitor.get("endpoints")).get(0));
		assertThat(endpoint).containsEntry("port", servicePort.get("name"))
			.containsEntry("path", "/actuator/prometheus");
		assertThat(map(monitor.get("selector")).get("matchLabels"))
			.isEqualTo(map(find(resources, "Service", "tokman").get("metadata")).get("labels"));
	}

	@Test
	void everySettingTheManifestsGiveIsOneTheReadmeDocuments() throws IOException {
		Set<String> documented = Readme.settings().keySet();
		assertThat(documented).contains("GITHUB_APP_ID", "BIND_ADDR", "DB_URI");
		for (Path overlay : List.of(SQLITE, POSTGRESQL)) {
			List<Map<String, Object>> resources = render(overlay);
			assertThat(envEntries(resources).keySet()).as(overlay.toString()).isSubsetOf(documented);
			assertThat(map(settings(resources).get("data")).keySet()).isSubsetOf(documented);
		}
	}

	@Test
	void theRootFilesystemIsReadOnlyAndEveryPathTokmanUsesIsAVolume() throws IOException {
		List<Map<String, Object>> resources = render(SQLITE);
		Map<String, Object> container = container(resources);
		Map<String, Object> security = map(container.get("securityContext"));
		assertThat(security).containsEntry("readOnlyRootFilesystem", true)
			.containsEntry("allowPrivilegeEscalation", false);
		Map<String, Object> pod = pod(resources);
		assertThat(pod).containsEntry("automountServiceAccountToken", false);
		Map<String, Object> podSecurity = map(pod.get("securityContext"));
		assertThat(podSecurity).containsEntry("runAsNonRoot", true);
		// The image's user, who owns /data there.
		assertThat(Files.readString(Path.of("Dockerfile"))).contains("--uid " + podSecurity.get("runAsUser") + " ");
		assertThat(mountPath(resources, "tmp")).isEqualTo("/tmp");
		assertThat(mount(resources, "secrets")).containsEntry("readOnly", true);
		assertThat(mount(resources, "data")).doesNotContainKey("readOnly");
		// env holds where the volumes are and nothing else: every other setting is the
		// ConfigMap's, which env would outrank.
		Map<String, String> env = environment(resources);
		assertThat(env).containsKeys("SECRETS_DIR", "TOKMAN_API_KEYS_FILE", "DB_URI");
		env.forEach((name, value) -> {
			String path = value.replaceFirst("^jdbc:sqlite:", "");
			assertThat(mounts(resources).values()).as("%s=%s is on a volume", name, path)
				.anyMatch((mountPath) -> path.equals(mountPath) || path.startsWith(mountPath + "/"));
		});
		assertThat(pod).containsEntry("enableServiceLinks", false);
		Map<String, Object> memory = map(map(container.get("resources")).get("limits"));
		assertThat(memory).containsKey("memory");
	}

	/**
	 * The sqlite overlay's environment, its paths moved under a directory of the test's,
	 * its port to a free one and GitHub to the simulator: tokman starts on it alone and
	 * answers the probes, and the scraper's key reads the metrics.
	 */
	@Test
	void tokmanStartedWithTheManifestsEnvironmentAnswersItsProbes() throws Exception {
		List<Map<String, Object>> resources = render(SQLITE);
		Path root = Files.createDirectories(TestEnvironment.DIRECTORY.resolve("kubernetes-" + UUID.randomUUID()));
		Map<String, String> mounts = new HashMap<>();
		for (Map.Entry<String, String> mount : mounts(resources).entrySet()) {
			mounts.put(mount.getValue(), Files.createDirectories(root.resolve(mount.getKey())).toString());
		}
		Files.copy(TestEnvironment.PKCS1_KEY, Path.of(mounts.get(mountPath(resources, "secrets")), "private-key.pem"));
		String scrapeKey = "scrape-" + UUID.randomUUID();
		TestEnvironment.CREDENTIALS.add(scrapeKey);
		Files.writeString(Path.of(remap(environment(resources).get("TOKMAN_API_KEYS_FILE"), mounts)),
				"prometheus:" + scrapeKey + "\n");
		int port = ForkedTokman.freePort();
		Map<String, String> environment = new LinkedHashMap<>(map(settings(resources).get("data")).entrySet()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, (e) -> String.valueOf(e.getValue()))));
		environment.putAll(environment(resources));
		environment.replaceAll((name, value) -> remap(value, mounts));
		environment.put("BIND_ADDR", "127.0.0.1:" + port);
		environment.put("GITHUB_APP_ID", TestEnvironment.APP_ID);
		this.github.setDispatcher(ForkedTokman.gitHubSimulator());
		environment.put("GITHUB_API_URL", this.github.url("/").toString());
		try (ForkedTokman tokman = ForkedTokman.startJarWithEnvironment(environment, port, "kubernetes.log")) {
			// As the kubelet does: the startup probe until it passes (Tomcat answers
			// before the context has started), then the others, which must pass at once.
			Map<String, Object> startup = map(container(resources).get("startupProbe"));
			String startupPath = (String) map(startup.get("httpGet")).get("path");
			Awaitility.await("the startup probe")
				.atMost(Duration
					.ofSeconds((Integer) startup.get("periodSeconds") * (Integer) startup.get("failureThreshold")))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> get(port, startupPath, null), (status) -> status == 200);
			for (String path : probePaths(container(resources))) {
				assertThat(get(port, path, null)).as(path).isEqualTo(200);
			}
			assertThat(get(port, "/actuator/prometheus", null)).isEqualTo(401);
			assertThat(get(port, "/actuator/prometheus", scrapeKey)).isEqualTo(200);
			assertThat(tokman.log()).startsWith("{").contains("\"log\":{\"level\":\"INFO\"");
			assertThat(Path.of(environment.get("DB_URI").replaceFirst("^jdbc:sqlite:", ""))).exists();
		}
	}

	/**
	 * The value with the mount path it starts with (or that follows {@code jdbc:sqlite:})
	 * replaced, once, by the test's directory for it: replacing every mount path in turn
	 * would move a path twice when the test's directory is itself under one (a checkout
	 * under /tmp).
	 */
	static String remap(String value, Map<String, String> mounts) {
		for (Map.Entry<String, String> mount : mounts.entrySet()) {
			Matcher start = Pattern.compile("^(jdbc:sqlite:)?" + Pattern.quote(mount.getKey()) + "(?=/|$)")
				.matcher(value);
			if (start.find()) {
				String scheme = (start.group(1) != null) ? start.group(1) : "";
				return scheme + mount.getValue() + value.substring(start.end());
			}
		}
		return value;
	}

	@Test
	void pathsAreMovedOnceWhereverTheTestRuns() {
		Map<String, String> mounts = new LinkedHashMap<>();
		mounts.put("/data", "/tmp/checkout/target/data");
		mounts.put("/tmp", "/tmp/checkout/target/tmp");
		assertThat(remap("jdbc:sqlite:/data/access_tokens.db", mounts))
			.isEqualTo("jdbc:sqlite:/tmp/checkout/target/data/access_tokens.db");
		assertThat(remap("/tmp", mounts)).isEqualTo("/tmp/checkout/target/tmp");
		assertThat(remap("/database/x", mounts)).isEqualTo("/database/x");
		assertThat(remap("0.0.0.0:8000", mounts)).isEqualTo("0.0.0.0:8000");
	}

	private int get(int port, String path, String key) throws IOException {
		Request.Builder request = new Request.Builder().url("http://127.0.0.1:" + port + path);
		if (key != null) {
			request.header("Authorization", "Bearer " + key);
		}
		try (Response response = this.http.newCall(request.build()).execute()) {
			return response.code();
		}
	}

	private static Set<String> probePaths(Map<String, Object> container) {
		Set<String> paths = new LinkedHashSet<>();
		for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
			paths.add((String) map(map(container.get(probe)).get("httpGet")).get("path"));
		}
		return paths;
	}

	private static Map<String, Object> spec(List<Map<String, Object>> resources, String kind) {
		return map(find(resources, kind, "tokman").get("spec"));
	}

	private static Map<String, Object> podLabels(List<Map<String, Object>> resources) {
		return map(map(map(spec(resources, "Deployment").get("template")).get("metadata")).get("labels"));
	}

	private static Map<String, Object> pod(List<Map<String, Object>> resources) {
		return map(map(spec(resources, "Deployment").get("template")).get("spec"));
	}

	private static Map<String, Object> container(List<Map<String, Object>> resources) {
		List<?> containers = (List<?>) pod(resources).get("containers");
		assertThat(containers).hasSize(1);
		return map(containers.get(0));
	}

	private static Map<String, Map<String, Object>> envEntries(List<Map<String, Object>> resources) {
		Map<String, Map<String, Object>> entries = new LinkedHashMap<>();
		for (Object entry : (List<?>) container(resources).get("env")) {
			entries.put((String) map(entry).get("name"), map(entry));
		}
		return entries;
	}

	/** The environment variables given as values. */
	private static Map<String, String> environment(List<Map<String, Object>> resources) {
		Map<String, String> values = new LinkedHashMap<>();
		envEntries(resources).forEach((name, entry) -> {
			if (entry.containsKey("value")) {
				values.put(name, String.valueOf(entry.get("value")));
			}
		});
		return values;
	}

	private static Map<String, Object> volume(List<Map<String, Object>> resources, String name) {
		return named(pod(resources).get("volumes"), name, "volume");
	}

	private static Map<String, Object> mount(List<Map<String, Object>> resources, String name) {
		return named(container(resources).get("volumeMounts"), name, "volume mount");
	}

	/** The entry of this name in a list of named entries. */
	private static Map<String, Object> named(Object entries, String name, String what) {
		return list(entries).stream()
			.map(KubernetesManifestsIT::map)
			.filter((entry) -> name.equals(entry.get("name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + what + " " + name));
	}

	private static String mountPath(List<Map<String, Object>> resources, String name) {
		return (String) mount(resources, name).get("mountPath");
	}

	/** Volume name to mount path; every mount has its volume. */
	private static Map<String, String> mounts(List<Map<String, Object>> resources) {
		Map<String, String> mounts = new LinkedHashMap<>();
		for (Object mount : (List<?>) container(resources).get("volumeMounts")) {
			String name = (String) map(mount).get("name");
			volume(resources, name);
			mounts.put(name, (String) map(mount).get("mountPath"));
		}
		return mounts;
	}

	/** The resources the kustomization in this directory renders to. */
	static List<Map<String, Object>> render(Path directory) {
		try {
			Process kubectl = new ProcessBuilder("kubectl", "kustomize", directory.toString()).redirectErrorStream(true)
				.start();
			String output = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(kubectl.waitFor(60, TimeUnit.SECONDS)).isTrue();
			assertThat(kubectl.exitValue()).as("kubectl kustomize %s: %s", directory, output).isZero();
			List<Map<String, Object>> resources = new ArrayList<>();
			new Yaml().loadAll(output).forEach((resource) -> resources.add(map(resource)));
			return resources;
		}
		catch (IOException ex) {
			// No kubectl here (the test image has none): skipped, except where CI
			// requires it.
			if ("1".equals(System.getenv("TOKMAN_REQUIRE_KUBECTL"))) {
				throw new AssertionError("TOKMAN_REQUIRE_KUBECTL=1, but kubectl cannot run: " + ex.getMessage(), ex);
			}
			Assumptions.abort("kubectl is not installed: the manifests cannot be rendered");
			throw new AssertionError(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	/** The one resource of this kind and name. */
	static Map<String, Object> find(List<Map<String, Object>> resources, String kind, String name) {
		return resources.stream()
			.filter((resource) -> kind.equals(resource.get("kind"))
					&& name.equals(map(resource.get("metadata")).get("name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + kind + " " + name));
	}

	/** The settings ConfigMap, under the name (with its hash) the container reads. */
	private static Map<String, Object> settings(List<Map<String, Object>> resources) {
		String name = (String) map(map(((List<?>) container(resources).get("envFrom")).get(0)).get("configMapRef"))
			.get("name");
		assertThat(name).startsWith("tokman-settings-");
		return find(resources, "ConfigMap", name);
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Object value) {
		return (value != null) ? (Map<String, Object>) value : Map.of();
	}

	static List<?> list(Object value) {
		return (value != null) ? (List<?>) value : List.of();
	}

}
