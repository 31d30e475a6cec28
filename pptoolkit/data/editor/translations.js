/* pptoolkit: the playbook's file names for Decap CMS's translations (loaded after decap-cms.js).
 *
 * Decap's `i18n: multiple_files` names every language's file NAME.LANG.md, the original's too; a
 * playbook names its original NAME.md (in the default language) and a translation NAME.LANG.md.
 * This script wraps the backend Decap talks to (the Git host's, or the local proxy): Decap sees
 * NAME.<default>.md where the repository has NAME.md, and what it saves as NAME.<default>.md is
 * written to NAME.md. An original that is already named NAME.<default>.md (the checker takes it for
 * an original too) keeps its name. A translation without a title (a new artifact's, not translated
 * yet) is not written: the checker would refuse it, and a missing translation is only a warning.
 * It runs before Decap reads config.yml, so every backend Decap makes is wrapped.
 */
(function () {
  "use strict";
  var CMS = window.CMS;
  if (!CMS || typeof CMS.getBackend !== "function") {
    return;
  }
  var LANGUAGE_SUFFIX = /\.[a-z]{2,3}\.md$/;
  var TITLE = /^title:[ \t]*(\S.*)$/m;
  var FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---/;

  function folderOf(path) {
    var slash = path.lastIndexOf("/");
    return slash < 0 ? "" : path.slice(0, slash);
  }

  function hasTitle(raw) {
    var front = FRONT_MATTER.exec(raw || "");
    var title = front && TITLE.exec(front[1]);
    return Boolean(title) && !/^(''|"")\s*$/.test(title[1]);
  }

  /* The two ways of naming a file, for the folders of the collections with translations. */
  function names(config) {
    var i18n = config.i18n || {};
    var folders = {};
    (config.collections || []).forEach(function (collection) {
      if (collection.folder && collection.i18n) {
        folders[collection.folder.replace(/^\/+|\/+$/g, "")] = true;
      }
    });
    var suffix = i18n.default_locale ? "." + i18n.default_locale + ".md" : null;
    var keptAsIs = {};

    function managed(path) {
      return suffix !== null && typeof path === "string" && folders[folderOf(path)] === true && /\.md$/.test(path);
    }
    return {
      toDecap: function (path) {
        if (!managed(path)) {
          return path;
        }
        if (LANGUAGE_SUFFIX.test(path)) {
          if (path.slice(-suffix.length) === suffix) {
            keptAsIs[path] = true;
          }
          return path;
        }
        return path.slice(0, -".md".length) + suffix;
      },
      toRepository: function (path) {
        if (!managed(path) || keptAsIs[path] || path.slice(-suffix.length) !== suffix) {
          return path;
        }
        return path.slice(0, -suffix.length) + ".md";
      },
      isUntitledTranslation: function (file) {
        return managed(file.path) && LANGUAGE_SUFFIX.test(file.path) && file.path.slice(-suffix.length) !== suffix &&
          !hasTitle(file.raw);
      },
    };
  }

  function wrap(implementation, config) {
    var name = names(config);

    function renamed(entries) {
      (entries || []).forEach(function (entry) {
        if (entry && entry.file) {
          entry.file.path = name.toDecap(entry.file.path);
        }
      });
      return entries;
    }

    function repositoryFile(file) {
      var moved = Object.assign({}, file, { path: name.toRepository(file.path) });
      if (file.newPath) {
        moved.newPath = name.toRepository(file.newPath);
      }
      return moved;
    }

    var overrides = {
      entriesByFolder: function () {
        return implementation.entriesByFolder.apply(implementation, arguments).then(renamed);
      },
      allEntriesByFolder: function () {
        return implementation.allEntriesByFolder.apply(implementation, arguments).then(renamed);
      },
      traverseCursor: function () {
        return implementation.traverseCursor.apply(implementation, arguments).then(function (result) {
          renamed(result && result.entries);
          return result;
        });
      },
      getEntry: function (path) {
        var stored = name.toRepository(path);
        var read = implementation.getEntry(stored);
        if (stored !== path) {
          read = read.catch(function () {
            return implementation.getEntry(path);
          });
        }
        return read.then(function (entry) {
          if (entry && entry.file) {
            entry.file.path = name.toDecap(entry.file.path);
          }
          return entry;
        });
      },
      persistEntry: function (entry, options) {
        var files = (entry.dataFiles || []).filter(function (file) {
          return !name.isUntitledTranslation(file);
        });
        return implementation.persistEntry(
          Object.assign({}, entry, { dataFiles: files.map(repositoryFile) }),
          options,
        );
      },
      unpublishedEntry: function () {
        return implementation.unpublishedEntry.apply(implementation, arguments).then(function (entry) {
          ((entry && entry.diffs) || []).forEach(function (diff) {
            diff.path = name.toDecap(diff.path);
          });
          return entry;
        });
      },
      unpublishedEntryDataFile: function (collection, slug, path, id) {
        return implementation.unpublishedEntryDataFile(collection, slug, name.toRepository(path), id);
      },
      deleteFiles: function (paths, message) {
        return implementation.deleteFiles(paths.map(name.toRepository), message);
      },
    };

    return new Proxy(implementation, {
      get: function (target, key) {
        var value = target[key];
        if (Object.prototype.hasOwnProperty.call(overrides, key) && typeof value === "function") {
          return overrides[key];
        }
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  }

  ["github", "gitlab", "proxy"].forEach(function (backend) {
    var registered = CMS.getBackend(backend);
    if (!registered || typeof registered.init !== "function") {
      return;
    }
    var init = registered.init;
    registered.init = function (config, options) {
      var implementation = init(config, options);
      return config && config.i18n ? wrap(implementation, config) : implementation;
    };
  });
})();
