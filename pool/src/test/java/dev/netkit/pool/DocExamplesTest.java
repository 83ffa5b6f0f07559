package dev.netkit.pool;

import dev.netkit.testkit.Snippets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The Java examples of the module's README and package documentation compile. */
class DocExamplesTest {
    @Test
    void readmeExamplesCompile() {
        Snippets.assertCompile(Snippets.fromMarkdown(Path.of("README.md")));
    }

    @Test
    void packageInfoExamplesCompile() {
        Snippets.assertCompile(Snippets.fromPackageInfos(Path.of("src/main/java")));
    }
}
