package dev.netkit.ring;

import dev.netkit.testkit.Snippets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The Java examples of ring's README and package documentation compile (testkit's {@link Snippets} rules). */
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
