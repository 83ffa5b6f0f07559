package dev.netkit.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnippetsTest {
    @TempDir
    Path dir;

    @Test
    void statementsAndTypesCompileAndBrokenExamplesAreNamed() throws Exception {
        Path md = dir.resolve("README.md");
        Files.writeString(md, """
                # title
                ```java
                import java.util.ArrayList;
                var list = new ArrayList<String>();
                list.add("x");
                ```
                text
                ```java
                import java.util.List;
                record Pair(int a, int b) {
                    List<Integer> both() { return List.of(a, b); }
                }
                ```
                ```
                not java: ignored
                ```
                ```java
                undeclared.call();
                ```
                """);
        List<Snippets.Snippet> found = Snippets.fromMarkdown(md);
        assertEquals(3, found.size());
        assertTrue(found.get(0).where().endsWith("README.md:2"), found.get(0).where());
        assertEquals("", Snippets.compile(found.get(0)));
        assertEquals("", Snippets.compile(found.get(1)));
        AssertionError e = assertThrows(AssertionError.class, () -> Snippets.assertCompile(found));
        assertTrue(e.getMessage().contains("README.md:17 does not compile"), e.getMessage());
        assertTrue(e.getMessage().contains("undeclared"), e.getMessage());
    }

    @Test
    void packageInfoExamplesOfBothFormsAreFound() throws Exception {
        Path pkg = Files.createDirectories(dir.resolve("src/p"));
        Files.writeString(pkg.resolve("package-info.java"), """
                /**
                 * Example:
                 * <pre>{@code
                 * java.util.Map<String, Integer> m = new java.util.HashMap<>();
                 * m.put("a", 1);
                 * }</pre>
                 * And:
                 * {@snippet :
                 * Runnable r = () -> { };
                 * r.run();
                 * }
                 */
                package p;
                """);
        List<Snippets.Snippet> found = Snippets.fromPackageInfos(dir.resolve("src"));
        assertEquals(2, found.size());
        Snippets.assertCompile(found);
        assertTrue(found.get(1).code().contains("Runnable r = () -> { };"), found.get(1).code());
    }

    @Test
    void nothingFoundIsAFailureNotAPass() {
        assertThrows(AssertionError.class, () -> Snippets.assertCompile(List.of()));
    }

    @Test
    void seedsReplayTheProperty() {
        String old = System.getProperty(Seeds.PROPERTY);
        try {
            System.setProperty(Seeds.PROPERTY, "5, 7");
            assertEquals(List.of(5L, 7L), Seeds.seeds(1, 2).boxed().toList());
            assertEquals(5L, Seeds.seed());
            System.clearProperty(Seeds.PROPERTY);
            assertEquals(3, Seeds.seeds(1, 2).count());
            System.setProperty(Seeds.PROPERTY, "x");
            assertThrows(IllegalArgumentException.class, Seeds::seed);
        } finally {
            if (old == null) {
                System.clearProperty(Seeds.PROPERTY);
            } else {
                System.setProperty(Seeds.PROPERTY, old);
            }
        }
    }
}
