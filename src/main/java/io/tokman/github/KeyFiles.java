package io.tokman.github;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.tokman.config.InvalidSettingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The App's key files: the one file named, or every {@code private-key*.pem} in the
 * directory named, each parsed again only when it changed: a new modification time or
 * size, or a new target of its symbolic link (a Kubernetes Secret volume swaps its files
 * by relinking {@code ..data}). A file that stops parsing keeps the key read from it
 * before.
 */
final class KeyFiles {

	private static final Logger log = LoggerFactory.getLogger(KeyFiles.class);

	private static final String BASE_NAME = "private-key.pem";

	private final Path source;

	/** The files seen at the last reading. */
	private Map<Path, Seen> seen = Map.of();

	private ScheduledExecutorService watcher;

	KeyFiles(Path source) {
		this.source = source;
	}

	/** Runs the check this often, from now on; never for 0. */
	synchronized void watch(Duration interval, Runnable check) {
		if (interval.isNegative()) {
			throw new InvalidSettingException(
					"tokman.github.key-check-interval is " + interval + "; expected 0 or more",
					"Set it to 10s, or 0 to read the App's keys at startup only.");
		}
		if (interval.isZero()) {
			return;
		}
		CustomizableThreadFactory threads = new CustomizableThreadFactory("app-keys-");
		threads.setDaemon(true);
		this.watcher = Executors.newSingleThreadScheduledExecutor(threads);
		this.watcher.scheduleWithFixedDelay(() -> {
			try {
				check.run();
			}
			catch (RuntimeException ex) {
				log.warn("Checking the App's key files failed: {}", ex.getMessage());
			}
		}, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
	}

	synchronized void close() {
		if (this.watcher != null) {
			this.watcher.shutdownNow();
		}
	}

	/**
	 * The keys in the files now, newest first: by modification time to the minute, then,
	 * for files of one minute (a Kubernetes Secret writes all its files anew at each
	 * update, in no set order), {@code private-key.pem} last and the others by name, the
	 * greatest first.
	 */
	synchronized Reading read() {
		Map<Path, Seen> now = new HashMap<>();
		int invalid = 0;
		for (Path file : files()) {
			Seen before = this.seen.get(file);
			FileState state = FileState.of(file);
			if (state == null) {
				// Gone between the listing and now, as in the middle of a swap: as it
				// was.
				if (before != null) {
					now.put(file, before);
				}
				continue;
			}
			if (before != null && before.state().equals(state)) {
				now.put(file, before);
				invalid += before.valid() ? 0 : 1;
				continue;
			}
			try {
				AppKey key = AppKey.read(file);
				now.put(file, new Seen(state, key, true));
				if (before != null && before.key() != null && !before.key().fingerprint().equals(key.fingerprint())) {
					log.info("App key file {} changed; it now holds key {}", file, key.fingerprint());
				}
			}
			catch (InvalidSettingException ex) {
				invalid++;
				AppKey kept = (before != null) ? before.key() : null;
				log.warn("{}; {}", ex.getMessage(),
						(kept != null) ? "key " + kept.describe() + " read from it before is kept" : "it is ignored");
				now.put(file, new Seen(state, kept, false));
			}
		}
		boolean changed = !now.equals(this.seen);
		this.seen = now;
		List<AppKey> keys = now.values()
			.stream()
			.filter((seen) -> seen.key() != null)
			.sorted(Comparator.comparing((Seen seen) -> seen.state().modified().to(TimeUnit.MINUTES))
				.thenComparing((Seen seen) -> suffix(seen.key().file()))
				.reversed())
			.map(Seen::key)
			.distinct()
			.toList();
		return new Reading(keys, invalid, changed);
	}

	private List<Path> files() {
		if (!Files.isDirectory(this.source)) {
			return Files.exists(this.source) ? List.of(this.source) : List.of();
		}
		try (Stream<Path> listed = Files.list(this.source)) {
			List<Path> files = new ArrayList<>();
			listed.filter((file) -> {
				String name = file.getFileName().toString();
				return name.startsWith("private-key") && name.endsWith(".pem") && Files.isRegularFile(file);
			}).forEach(files::add);
			return files;
		}
		catch (IOException ex) {
			log.warn("Cannot list the App keys in {}: {}", this.source.toAbsolutePath(), ex.getMessage());
			return new ArrayList<>(this.seen.keySet());
		}
	}

	private static String suffix(Path file) {
		String name = (file != null) ? file.getFileName().toString() : BASE_NAME;
		return name.equals(BASE_NAME) ? "" : name;
	}

	/**
	 * A reading of the files: their keys, newest first; how many files did not parse;
	 * whether any file changed since the last reading.
	 */
	record Reading(List<AppKey> keys, int invalid, boolean changed) {

	}

	/** A file as last read: its state, its key (null if none), whether it parsed. */
	private record Seen(FileState state, AppKey key, boolean valid) {

	}

}
