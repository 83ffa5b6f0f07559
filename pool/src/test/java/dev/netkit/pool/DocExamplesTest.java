package dev.netkit.pool;

import dev.netkit.testkit.ModuleDocExamplesTest;

/** The Java examples of pool's README and package documentation compile (testkit's Snippets rules). */
class DocExamplesTest extends ModuleDocExamplesTest {
}
