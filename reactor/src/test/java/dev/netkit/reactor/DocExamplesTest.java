package dev.netkit.reactor;

import dev.netkit.testkit.ModuleDocExamplesTest;

/** The Java examples of reactor's README and package documentation compile (testkit's Snippets rules). */
class DocExamplesTest extends ModuleDocExamplesTest {
}
