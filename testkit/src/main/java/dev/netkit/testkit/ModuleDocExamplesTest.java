package dev.netkit.testkit;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The two documentation checks every library module runs: the Java examples of its {@code README.md} and of its
 * package-infos ({@code src/main/java}) compile, under {@link Snippets}' rules. A module's test extends this
 * class and adds nothing; Surefire runs it with the module's directory as the working directory.
 */
public abstract class ModuleDocExamplesTest {
    /** For subclasses. */
    protected ModuleDocExamplesTest() {
    }

    /** The module README's {@code java} blocks compile. */
    @Test
    public void readmeExamplesCompile() {
        Snippets.assertCompile(Snippets.fromMarkdown(Path.of("README.md")));
    }

    /** The examples of the module's package-infos compile. */
    @Test
    public void packageExamplesCompile() {
        Snippets.assertCompile(Snippets.fromPackageInfos(Path.of("src/main/java")));
    }
}
