package dev.netkit.padding;

import dev.netkit.testkit.ModuleDocExamplesTest;

/** The Java examples of padding's README and package documentation compile (testkit's Snippets rules). */
class DocExamplesTest extends ModuleDocExamplesTest {
}
