package io.tokman.config;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;

/** tokman's version, from the build; "dev" when run from an IDE without it. */
public final class BuildVersion {

	private BuildVersion() {
	}

	public static String of(ObjectProvider<BuildProperties> build) {
		return build.stream().map(BuildProperties::getVersion).findFirst().orElse("dev");
	}

}
