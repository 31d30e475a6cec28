/* pptoolkit: search with the stemming of the tree's language, on both sides.
 *
 * Appended by the pptoolkit plugin to mkdocs-material's search worker, which runs it once, before any
 * message, with `self.lunr` the worker's own lunr. Material leaves lunr's stemmer out of its pipelines
 * and adds a trailing wildcard to every word of a query, which lunr never stems; here:
 * - each word of a page is indexed as it is written and as its stem ("évaluation" and "évalu"), so
 *   that full words and prefixes match as before and a stem matches a stem;
 * - each word of a query (with or without its wildcard) is searched as typed and as its stem, so
 *   that "évaluations" finds "évaluation" and "policies" finds "policy";
 * - pages that hold the words as typed come first, then those found by stems, and a page found by a
 *   word's stem counts as holding that word (Material would say it is missing).
 * The stemmer is the language's (lunr-languages, loaded by Material for a language other than
 * English), else lunr's English one; with several languages in one index, nothing is changed.
 */
(function (lunr) {
  "use strict"
  if (!lunr || !lunr.Builder || !lunr.Index || !lunr.Pipeline) return

  var made = []  /* [stemmer, {index, query}] pairs: one pair of pipeline functions per stemmer */

  function stemOf(stemmer, word) {
    return stemmer(new lunr.Token(word, {})).toString()
  }

  /* Material splits words on spaces and hyphens only ("policy," is one token): trimmed, then stemmed. */
  function functionsOf(stemmer, trimmer) {
    for (var i = 0; i < made.length; i++)
      if (made[i][0] === stemmer) return made[i][1]
    var label = "pptoolkit-stem-" + made.length
    var index = function (token) {
      var stem = stemmer(trimmer(token.clone()))
      return !stem.toString() || stem.toString() === token.toString() ? token : [token, stem]
    }
    var query = function (token) {
      var text = token.toString(), wildcard = /\*$/.test(text), word = text.replace(/\*$/, "")
      if (!word || word.indexOf("*") !== -1) return token
      var stem = stemOf(stemmer, word)
      if (stem === word) return token
      var stemmed = new lunr.Token(stem, token.metadata)
      return wildcard ? [stemmed, token] : stemmed
    }
    lunr.Pipeline.registerFunction(index, label + "-index")
    lunr.Pipeline.registerFunction(query, label + "-query")
    made.push([stemmer, { index: index, query: query }])
    return made[made.length - 1][1]
  }

  /* The stemmer and trimmer of the language plugin the index is built with (lunr.fr ...), null for another kind. */
  var use = lunr.Builder.prototype.use
  lunr.Builder.prototype.use = function (plugin) {
    var language = plugin && typeof plugin.stemmer === "function" && typeof plugin.trimmer === "function"
    this.pptoolkitStemmer = language ? plugin.stemmer : null
    this.pptoolkitTrimmer = language ? plugin.trimmer : null
    return use.apply(this, arguments)
  }

  /* Before the first page is indexed, the pipelines are final: stem on both sides. */
  var add = lunr.Builder.prototype.add
  lunr.Builder.prototype.add = function () {
    if (this.pptoolkitStemmer === undefined) {  /* no language plugin: English */
      this.pptoolkitStemmer = lunr.stemmer
      this.pptoolkitTrimmer = lunr.trimmer
    }
    if (this.pptoolkitStemmer && !this.pptoolkitStemming) {
      var functions = functionsOf(this.pptoolkitStemmer, this.pptoolkitTrimmer)
      this.pipeline.remove(this.pptoolkitStemmer)
      this.searchPipeline.remove(this.pptoolkitStemmer)
      this.pipeline.add(functions.index)
      this.searchPipeline.add(functions.query)
      this.pptoolkitStemming = true
    }
    return add.apply(this, arguments)
  }

  var build = lunr.Builder.prototype.build
  lunr.Builder.prototype.build = function () {
    var index = build.apply(this, arguments)
    if (this.pptoolkitStemming) index.pptoolkitStemmer = this.pptoolkitStemmer
    return index
  }

  /* A word with a trailing wildcard goes through the search pipeline too (lunr's parser keeps it out).
   * lunr drops every page for a required clause one of whose terms matches nothing, so a required
   * word is searched as typed, or by its stem when nothing begins with it. */
  var query = lunr.Index.prototype.query
  lunr.Index.prototype.query = function (fn) {
    var index = this, stemmer = this.pptoolkitStemmer, words = []
    if (!stemmer) return query.apply(this, arguments)
    var results = query.call(this, function (built) {
      fn.call(built, built)
      for (var i = 0; i < built.clauses.length; i++) {
        var clause = built.clauses[i], prefix = /^([^*]+)\*$/.exec(clause.term)
        var word = prefix ? prefix[1] : clause.term
        if (word.indexOf("*") !== -1 || !(prefix || clause.usePipeline)) continue
        words.push([word, stemOf(stemmer, word)])
        if (!prefix || "editDistance" in clause) continue
        if (clause.presence !== lunr.Query.presence.REQUIRED) clause.usePipeline = true
        else if (!index.tokenSet.intersect(lunr.TokenSet.fromString(clause.term)).toArray().length)
          clause.term = words[words.length - 1][1]
      }
    })
    return asTypedFirst(results, words)
  }

  /* The pages that hold more of the query's words as typed (or their beginnings) come first, then those
   * found by stems: each group's scores are raised above ten times the best of the groups below, so that
   * Material's own boosts (up to five times) keep the order. A page found by a word's stem is given the
   * word, so that Material does not say it is missing. */
  function asTypedFirst(results, words) {
    var groups = []
    for (var r = 0; r < results.length; r++) {
      var metadata = results[r].matchData.metadata, terms = Object.keys(metadata), typed = 0
      for (var w = 0; w < words.length; w++) {
        var word = words[w][0], stem = words[w][1]
        var held = terms.some(function (term) { return term.indexOf(word) === 0 })
        if (held) typed++
        else if (terms.indexOf(stem) !== -1) metadata[word] = {}
      }
      (groups[typed] = groups[typed] || []).push(results[r])
    }
    var floor = 0
    for (var g = 0; g < groups.length; g++) {
      if (!groups[g]) continue
      var lowest = Infinity, i
      for (i = 0; i < groups[g].length; i++) lowest = Math.min(lowest, groups[g][i].score)
      var scale = floor > 0 && lowest > 0 && lowest < floor * 10 ? floor * 10 / lowest : 1
      for (i = 0; i < groups[g].length; i++) floor = Math.max(floor, groups[g][i].score *= scale)
    }
    return results.sort(function (a, b) { return b.score - a.score })
  }
})(self.lunr)
