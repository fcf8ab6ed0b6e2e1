/** Where the CLI finds its server and token: flags, then environment, then the config file. */
package dev.toolrun.cli.config;
