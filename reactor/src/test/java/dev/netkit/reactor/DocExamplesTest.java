package dev.netkit.reactor;

import dev.netkit.testkit.Snippets;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The Java examples of the reactor's README and package-infos compile (testkit's {@link Snippets} rules). */
class DocExamplesTest {
    @Test
    void readmeExamplesCompile() {
        Snippets.assertCompile(Snippets.fromMarkdown(Path.of("README.md")));
    }

    @Test
    void packageExamplesCompile() {
        Snippets.assertCompile(Snippets.fromPackageInfos(Path.of("src/main/java")));
    }
}
