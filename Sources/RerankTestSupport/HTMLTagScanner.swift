/// Reads the tags of an HTML page as a browser's tokenizer would split them (quoted attribute
/// values, raw-text `<style>` and `<script>` bodies), so a test can check which elements and
/// attributes a page really has, whatever text it contains.
public enum HTMLTagScanner {
    public struct Tag: Sendable, Equatable {
        /// Lower-cased, `/` in front for an end tag, `!doctype` for the doctype.
        public var name: String
        public var attributes: [(name: String, value: String)]

        public static func == (a: Tag, b: Tag) -> Bool {
            a.name == b.name && a.attributes.elementsEqual(b.attributes) { $0.name == $1.name && $0.value == $1.value }
        }

        public func attribute(_ name: String) -> String? { attributes.first { $0.name == name }?.value }
    }

    public static func tags(in html: String) -> [Tag] {
        let chars = Array(html.unicodeScalars)
        var tags: [Tag] = []
        var i = 0
        func isNameChar(_ c: Unicode.Scalar) -> Bool { c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "-" || c == ":" || c == "!" || c == "/" }
        while i < chars.count {
            guard chars[i] == "<", i + 1 < chars.count, chars[i + 1] == "/" || chars[i + 1] == "!" || chars[i + 1].properties.isAlphabetic else {
                i += 1
                continue
            }
            i += 1
            var name = ""
            while i < chars.count, isNameChar(chars[i]) { name.unicodeScalars.append(chars[i]); i += 1 }
            var tag = Tag(name: name.lowercased(), attributes: [])
            // Attributes up to the closing '>'.
            while i < chars.count, chars[i] != ">" {
                if chars[i] == " " || chars[i] == "\n" || chars[i] == "\t" || chars[i] == "/" { i += 1; continue }
                var attr = ""
                while i < chars.count, chars[i] != "=", chars[i] != ">", chars[i] != " ", chars[i] != "\n" { attr.unicodeScalars.append(chars[i]); i += 1 }
                var value = ""
                if i < chars.count, chars[i] == "=" {
                    i += 1
                    if i < chars.count, chars[i] == "\"" || chars[i] == "'" {
                        let quote = chars[i]
                        i += 1
                        while i < chars.count, chars[i] != quote { value.unicodeScalars.append(chars[i]); i += 1 }
                        i += 1
                    } else {
                        while i < chars.count, chars[i] != " ", chars[i] != ">" { value.unicodeScalars.append(chars[i]); i += 1 }
                    }
                }
                tag.attributes.append((attr.lowercased(), value))
            }
            i += 1
            tags.append(tag)
            // Raw text elements end only at their own end tag.
            if tag.name == "style" || tag.name == "script" {
                let end = Array("</\(tag.name)".unicodeScalars)
                while i < chars.count, !(i + end.count <= chars.count && String(String.UnicodeScalarView(chars[i..<(i + end.count)])).lowercased() == String(String.UnicodeScalarView(end))) { i += 1 }
            }
        }
        return tags
    }
}
