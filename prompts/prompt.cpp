#include "prompts/prompt.h"

namespace mmh::prompts {

std::string preview_text(const Prompt& prompt) {
  std::string out;
  Role current = Role::kNone;
  for (const Segment& s : prompt) {
    if (s.role != current && s.role != Role::kNone) {
      if (!out.empty() && out.back() != '\n') out += '\n';
      out += s.role == Role::kUser ? "USER: " : "ASSISTANT: ";
    }
    current = s.role;
    switch (s.kind) {
      case Segment::Kind::kText: out += s.text; break;
      case Segment::Kind::kImage: out += "<image>"; break;
      case Segment::Kind::kEndOfChunk: out += '\n'; break;
    }
  }
  return out;
}

}  // namespace mmh::prompts
